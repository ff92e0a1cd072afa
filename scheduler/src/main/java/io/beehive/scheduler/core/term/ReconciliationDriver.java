package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.CoreMetrics;
import io.beehive.scheduler.sdk.SchedulerDriver;
import io.beehive.state.record.TaskRecord;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Drives reconciliation for a term: explicit rounds (with backoff) for the tasks the book says are live until each
 * has answered or the deadline passes, then one implicit request so tasks Mesos runs and we do not know come back
 * as updates. Also the periodic implicit request and the operators waiting on an on-demand reconciliation.
 * Confined to the term's loop, except the waiters, which a halting term fails from any thread.
 */
final class ReconciliationDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationDriver.class);

    /** What the term does once a reconciliation has finished (or given up): its phase may move on. */
    interface Finished {
        void reconciled(long tookMillis, long nowNanos);
    }

    private final long term;
    private final CoreConfig config;
    private final CoreMetrics metrics;
    private final TermLoop loop;
    private final BooleanSupplier current;
    private final Supplier<SchedulerDriver> driver;
    private final Finished finished;
    private final Queue<CompletableFuture<Instant>> waiters = new ConcurrentLinkedQueue<>();
    private Reconciliation inProgress;
    private volatile Instant last;

    ReconciliationDriver(long term, CoreConfig config, CoreMetrics metrics, TermLoop loop, BooleanSupplier current,
                         Supplier<SchedulerDriver> driver, Finished finished) {
        this.term = term;
        this.config = config;
        this.metrics = metrics;
        this.loop = loop;
        this.current = current;
        this.driver = driver;
        this.finished = finished;
    }

    /** Starts a new reconciliation of these tasks; one in progress is abandoned (its rounds stop). */
    void begin(String why, Collection<TaskRecord> liveTasks) {
        Map<String, String> live = new LinkedHashMap<>();
        for (TaskRecord t : liveTasks) {
            live.put(t.taskId(), t.agentId());
        }
        LOG.info("Term {}: reconciling {} tasks ({})", term, live.size(), why);
        Reconciliation r = new Reconciliation(live, config.reconcileInitialBackoff(), config.reconcileMaxBackoff(),
                config.reconcileMaxDuration(), System.nanoTime());
        inProgress = r;
        round(r);
    }

    /** The subscription is gone: answers will not come; the next subscription begins again. */
    void abandon() {
        inProgress = null;
    }

    boolean inProgress() {
        return inProgress != null;
    }

    /** A status update for this task arrived (any state, any reason): it has answered. */
    void answered(String taskId) {
        Reconciliation r = inProgress;
        if (r != null) {
            r.answered(taskId);
            if (r.complete()) {
                finish(r);
            }
        }
    }

    /** Implicit only: between full reconciliations, catches tasks Mesos knows and we do not. */
    void periodic() {
        LOG.debug("Term {}: periodic implicit reconciliation", term);
        driver.get().reconcileTasks(List.of());
        last = Instant.now();
    }

    /** Completes when the reconciliation in progress (or the next one) finishes. */
    void await(CompletableFuture<Instant> waiter) {
        waiters.add(waiter);
    }

    /** The term ends: nobody waits for ever. Any thread. */
    void failWaiters(Throwable why) {
        for (CompletableFuture<Instant> w; (w = waiters.poll()) != null; ) {
            w.completeExceptionally(why);
        }
    }

    Optional<Instant> last() {
        return Optional.ofNullable(last);
    }

    private void round(Reconciliation r) {
        if (r != inProgress || !current.getAsBoolean()) {
            return;
        }
        if (r.complete() || r.expired(System.nanoTime())) {
            finish(r);
            return;
        }
        for (List<Call.Reconcile.Task> batch : r.nextRound(config.reconcileBatchSize())) {
            driver.get().reconcileTasks(batch);
        }
        loop.schedule("reconciliation round", () -> round(r), r.takeBackoff());
    }

    private void finish(Reconciliation r) {
        if (r != inProgress) {
            return;
        }
        inProgress = null;
        driver.get().reconcileTasks(List.of()); // implicit: tasks Mesos knows and we do not come back as updates
        long now = System.nanoTime();
        long millis = r.elapsedMillis(now);
        metrics.reconciliationDone(millis);
        if (r.complete()) {
            LOG.info("Term {}: reconciliation done in {} ms ({} rounds)", term, millis, r.rounds());
        } else {
            LOG.warn("Term {}: reconciliation gave up after {} ms with {} tasks unanswered; acting on what is known",
                    term, millis, r.unansweredCount());
        }
        Instant at = Instant.now();
        last = at;
        finished.reconciled(millis, now);
        for (CompletableFuture<Instant> w; (w = waiters.poll()) != null; ) {
            w.complete(at);
        }
    }
}
