package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.LifecyclePhase;
import io.beehive.scheduler.core.PhaseTracker;

import java.util.function.BooleanSupplier;

/**
 * Whether a term may act right now. Asked before every Mesos call that changes something: the phase can change
 * under the term at any moment (the election thread forces SUSPENDED), so the answer is never cached.
 */
final class TermGate {
    private final long number;
    private final PhaseTracker phases;
    private final BooleanSupplier halted;

    TermGate(long number, PhaseTracker phases, BooleanSupplier halted) {
        this.number = number;
        this.phases = phases;
        this.halted = halted;
    }

    /**
     * The term still leads (not halted, not superseded, and the election's lease holds right now); it may talk to
     * Mesos, e.g. to decline or kill.
     */
    boolean current() {
        return !halted.getAsBoolean() && phases.term() == number && phases.officeHeld();
    }

    /** Launching (and replacing) is allowed only when ACTIVE: reconciled, and the ZooKeeper connection sound. */
    boolean mayLaunch() {
        return current() && phases.phase() == LifecyclePhase.ACTIVE;
    }

    /** Invariant 6: while SUSPENDED nothing is acknowledged (the write it confirms may not have landed for good). */
    boolean mayAcknowledge() {
        LifecyclePhase p = phases.phase();
        return current() && p.isLeading() && p != LifecyclePhase.SUSPENDED;
    }

    LifecyclePhase phase() {
        return phases.phase();
    }
}
