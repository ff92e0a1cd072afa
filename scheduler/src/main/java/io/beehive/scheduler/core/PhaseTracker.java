package io.beehive.scheduler.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The replica's one {@link LifecyclePhase}, with the term it belongs to. Every change is checked against the
 * allowed transitions and against the term: a change asked for by a term that is no longer current is refused,
 * so a stale event loop can never move the replica. Each change is announced to a listener, under the tracker's
 * lock so listeners hear the changes in the order they happened (a listener must return at once).
 */
public final class PhaseTracker {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseTracker.class);

    private final SchedulerEventListener listener;
    private LifecyclePhase phase = LifecyclePhase.STANDBY;
    private long term;
    /** The election's answer to "may this replica act as leader now" (its lease); yes until one is set. */
    private volatile BooleanSupplier office = () -> true;

    public PhaseTracker() {
        this(new SchedulerEventListener() { });
    }

    public PhaseTracker(SchedulerEventListener listener) {
        this.listener = listener;
    }

    public synchronized LifecyclePhase phase() {
        return phase;
    }

    public synchronized long term() {
        return term;
    }

    /**
     * Whether the election lets this replica act as leader at this very moment: its lease, read against the clock
     * when asked (DESIGN.md, invariant 6). A term's gate asks it besides the phase, because the phase changes only
     * when the election's callbacks run, and a process waking from a pause must not act before they have.
     */
    public boolean officeHeld() {
        return office.getAsBoolean();
    }

    /** Sets what {@link #officeHeld()} asks (the election's {@code isLeader}). */
    void actOnlyWhile(BooleanSupplier holdsOffice) {
        this.office = holdsOffice;
    }

    /** Starts a new term (STANDBY → LOADING); returns its number, or -1 if this replica cannot lead now. */
    synchronized long beginTerm() {
        if (!phase.canMoveTo(LifecyclePhase.LOADING) || phase != LifecyclePhase.STANDBY) {
            LOG.warn("Not starting a term from phase {}", phase);
            return -1;
        }
        term++;
        move(LifecyclePhase.LOADING);
        return term;
    }

    /** Moves on behalf of {@code forTerm}; false (and no change) if that term is over or the move is illegal. */
    public synchronized boolean moveTo(long forTerm, LifecyclePhase next) {
        if (forTerm != term || !phase.isLeading()) {
            return false;
        }
        if (phase == next) {
            return true;
        }
        if (!phase.canMoveTo(next)) {
            return false;
        }
        move(next);
        return true;
    }

    /** Moves regardless of term (the election's own callbacks); false if illegal from here. */
    synchronized boolean force(LifecyclePhase next) {
        if (phase == next) {
            return true;
        }
        if (!phase.canMoveTo(next)) {
            LOG.warn("Ignoring lifecycle change {} -> {}", phase, next);
            return false;
        }
        move(next);
        return true;
    }

    private void move(LifecyclePhase next) {
        LOG.info("Scheduler phase {} -> {} (term {})", phase, next, term);
        LifecyclePhase from = phase;
        phase = next;
        listener.phaseChanged(from, next);
    }
}
