package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.DepositionReason;
import io.beehive.election.Fence;
import io.beehive.election.LeadershipListener;
import io.beehive.scheduler.core.term.LeaderTerm;
import io.beehive.scheduler.core.term.StandbyBook;
import io.beehive.scheduler.core.term.StandbyWarmUp;
import io.beehive.scheduler.core.term.TermOwner;
import io.beehive.scheduler.mesos.MasterDetector;
import io.beehive.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One replica's life, driven by the election: {@code elected} starts a {@link LeaderTerm}, {@code suspended} stops
 * launching and acknowledging at once, {@code resumed} reconciles and carries on, {@code deposed} closes the term
 * (Mesos subscription closed WITHOUT teardown, in-memory state dropped) and returns to STANDBY. The phase is kept
 * in one {@link PhaseTracker}.
 */
public final class SchedulerLifecycle implements LeadershipListener {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLifecycle.class);
    /** What MesosClient itself allows its HTTP clients to stop in. */
    private static final Duration DRIVER_WIND_DOWN = Duration.ofSeconds(30);

    private final StateStore store;
    private final CoreConfig config;
    private final MesosConnection mesos;
    private final MetricRegistry registry;
    private final CoreMetrics metrics;
    private final FatalErrorHandler fatal;
    private final StandbyMasterDetector masters;
    private final String participantId;
    private final SchedulerEvents events = new SchedulerEvents();
    private final PhaseTracker phases = new PhaseTracker(events);
    private volatile Runnable stepDown = () -> { };
    private volatile LeaderTerm term;
    /** The last term that ended, whose driver may still be winding down (a stop waits for it). */
    private volatile LeaderTerm lastTerm;
    /** The book for the next term, kept current from the state mirror while this replica stands by. */
    private volatile StandbyBook standbyBook;
    private volatile Instant lastFailoverAt;
    private volatile Duration lastFailoverDuration;

    /** @param participantId this replica's advertised address, published in the term status while it leads */
    public SchedulerLifecycle(StateStore store, CoreConfig config, MesosConnection mesos, MetricRegistry registry,
                              FatalErrorHandler fatal, String participantId) {
        this.participantId = participantId;
        this.store = store;
        this.config = config;
        this.mesos = mesos;
        this.registry = registry;
        this.metrics = new CoreMetrics(registry);
        this.fatal = fatal;
        // Started now, not when elected: a standby already knows the leading master when its term begins.
        this.masters = StandbyMasterDetector.follow(mesos);
        StandbyWarmUp.inBackground(config, mesos, store);
        this.standbyBook = store.mirror().map(StandbyBook::following).orElse(null);
    }

    /** How to give up leadership when Mesos or the fence says another replica leads (usually election::abdicate). */
    public void onStepDown(Runnable stepDown) {
        this.stepDown = stepDown;
    }

    /**
     * What every "may the term act now" question also asks: the election's {@code isLeader}, which checks its lease
     * against the clock, so a term stops launching, acknowledging and calling Mesos the moment the lease ends, before
     * {@code deposed} has arrived (e.g. in a process that has just woken from a pause).
     */
    public void actOnlyWhile(BooleanSupplier leads) {
        phases.actOnlyWhile(leads);
    }

    @Override
    public void elected(Fence fence) {
        long number = phases.beginTerm();
        if (number < 0) {
            return; // stopped (or a term is still open): the election will depose us, or we are shutting down
        }
        LOG.info("Elected leader (term {}, epoch {}); loading state", number, fence.epoch());
        LeaderTerm t = new LeaderTerm(number, fence, store, config, mesos, phases, metrics, registry, new Owner(number),
                events, participantId, standbyBook);
        term = t;
        t.start();
    }

    @Override
    public void suspended() {
        // At once, on the election thread: the term's loop checks the phase before every launch and acknowledgement.
        if (phases.force(LifecyclePhase.SUSPENDED)) {
            LOG.warn("ZooKeeper connection suspended: no launches, no acknowledgements until it is back");
        }
    }

    @Override
    public void resumed() {
        LeaderTerm t = term;
        if (t != null) {
            LOG.info("ZooKeeper connection resumed: reconciling before acting again");
            t.resumed();
        }
    }

    @Override
    public void deposed(DepositionReason reason) {
        LOG.warn("Deposed ({}): closing the Mesos subscription without teardown, back to standby", reason);
        endTerm();
        phases.force(LifecyclePhase.STANDBY);
    }

    /** Ends any term and stops for good, once the last term's Mesos driver has wound down. */
    public void stop() {
        endTerm();
        phases.force(LifecyclePhase.STOPPED);
        masters.close();
        LeaderTerm last = lastTerm;
        if (last != null) {
            last.awaitStopped(DRIVER_WIND_DOWN);
        }
    }

    private void endTerm() {
        LeaderTerm t = term;
        term = null;
        if (t != null) {
            lastTerm = t;
            t.close();
            // The last book went to that term; the next one is built from the mirror, in the background.
            standbyBook = store.mirror().map(StandbyBook::following).orElse(null);
        }
    }

    public LifecyclePhase phase() {
        return phases.phase();
    }

    /** The leading Mesos master as this replica knows it now, leader or standby. */
    public Optional<java.net.URI> leadingMaster() {
        return masters.current();
    }

    public Optional<LeaderTerm> term() {
        return Optional.ofNullable(term);
    }

    public CoreMetrics metrics() {
        return metrics;
    }

    /** Where the core publishes task and phase changes; register listeners before {@code start}. */
    public SchedulerEvents events() {
        return events;
    }

    public Optional<Instant> lastFailoverAt() {
        return Optional.ofNullable(lastFailoverAt);
    }

    public Optional<Duration> lastFailoverDuration() {
        return Optional.ofNullable(lastFailoverDuration);
    }

    /** Callbacks of one term; ignored once that term is no longer the current one. */
    private final class Owner implements TermOwner {
        private final long number;

        Owner(long number) {
            this.number = number;
        }

        private boolean stale() {
            LeaderTerm t = term;
            return t == null || t.number() != number;
        }

        @Override
        public MasterDetector masterDetector() {
            return masters.lease();
        }

        @Override
        public void fatal(FatalError error) {
            LOG.error("Fatal (exit code {}): {}", error.exitCode(), error.message());
            fatal.fatal(error);
        }

        @Override
        public void failedOver() {
            if (!stale()) {
                stepDownAsync("another scheduler instance took over the Mesos framework");
            }
        }

        @Override
        public void fenceLost() {
            if (!stale()) {
                stepDownAsync("a fenced write failed");
            }
        }

        @Override
        public void inOffice(long reconciliationMillis, long failoverMillis) {
            lastFailoverAt = Instant.now();
            lastFailoverDuration = Duration.ofMillis(failoverMillis);
        }

        private void stepDownAsync(String why) {
            // abdicate() waits for the election's callback thread, so it must not run on a thread that thread waits on.
            Thread t = new Thread(() -> {
                LOG.warn("Stepping down: {}", why);
                stepDown.run();
            }, "beehive-step-down");
            t.setDaemon(true);
            t.start();
        }
    }
}
