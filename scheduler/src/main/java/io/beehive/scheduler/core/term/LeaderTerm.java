package io.beehive.scheduler.core.term;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.Fence;
import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.CoreMetrics;
import io.beehive.scheduler.core.FatalError;
import io.beehive.scheduler.core.LifecyclePhase;
import io.beehive.scheduler.core.MesosConnection;
import io.beehive.scheduler.core.PhaseTracker;
import io.beehive.scheduler.core.SchedulerEventListener;
import io.beehive.scheduler.core.offer.Placement;
import io.beehive.scheduler.mesos.ConnectionState;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.sdk.Scheduler;
import io.beehive.scheduler.sdk.SchedulerDriver;
import io.beehive.state.LoadedState;
import io.beehive.state.NotLeaderException;
import io.beehive.state.StateMirror;
import io.beehive.state.StateStore;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.FailoverHistory;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TermStatus;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One leadership term: created on {@code elected(fence)}, discarded on {@code deposed}. It owns the term's lifecycle
 * (load, with the subscription started beside it when a FrameworkID is stored → reconcile → act; suspended,
 * resumed, halted) and wires the parts that do the work, all on
 * ONE thread ({@link TermLoop}) so the in-memory state ({@link TaskBook}) needs no locks:
 * {@link StatusUpdateHandler} (write, then acknowledge), {@link LaunchCycle} (offers → one fenced batch → LAUNCH),
 * {@link JobCommands} (operator commands), {@link Housekeeping} (periodic sweep), {@link ReconciliationDriver},
 * {@link OfferFlow} and {@link KillSender}. ZooKeeper writes go through {@link GroupCommitWriter} (asynchronous,
 * ordered); Mesos callbacks arrive on the driver's thread and are re-posted to the loop in order.
 *
 * <p>What may happen when is decided by {@link TermGate}: nothing is launched before reconciliation after each
 * subscription; while SUSPENDED nothing is launched or acknowledged; a halted term sends nothing more.
 */
public final class LeaderTerm implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderTerm.class);
    /** Well below the HTTP client's per-destination queue (1024), leaving room for launches and declines. */
    private static final int MAX_ACKS_IN_FLIGHT = 256;
    /**
     * How long a new leader waits for its state mirror to apply the changes up to its election before it reads every
     * record instead: a mirror a launch storm behind applies thousands of records a second; a full load of 100,000
     * records takes 2-4 s.
     */
    static final Duration MIRROR_CATCH_UP_LIMIT = Duration.ofSeconds(5);

    private final long number;
    private final Fence fence;
    private final StateStore store;
    private final CoreConfig config;
    private final MesosConnection mesos;
    private final PhaseTracker phases;
    private final CoreMetrics metrics;
    private final MetricRegistry registry;
    private final TermOwner owner;
    private final SchedulerEventListener events;
    private final String participantId;
    private final long electedNanos = System.nanoTime();
    private final long electedAtMillis = System.currentTimeMillis();
    private final TermLoop loop;
    private final TermGate gate;
    private final RestartTracker restarts = new RestartTracker();
    private final DemandPlanner planner;
    /** Agents learned from offers (id → where it is), for daemon jobs and placement constraints. */
    private final Map<String, Placement> knownAgents = new LinkedHashMap<>();
    private final KillSender kills;
    private final ReconciliationDriver reconciler;
    private final OfferFlow offerFlow;

    private volatile TaskBook book;
    /** The book the standby kept ready; usable only by the first load, and only if it caught up with the mirror. */
    private StandbyBook standbyBook;
    private volatile String frameworkId;
    private volatile boolean halted;
    private volatile CompletableFuture<Void> driverStopped = CompletableFuture.completedFuture(null);
    private SchedulerDriver driver;
    private boolean subscribed;
    private boolean frameworkIdDurable;
    private boolean reconciled;
    private boolean inOffice;
    private long subscribedAtMillis;
    // The parts that need the loaded state; created by load().
    private GroupCommitWriter writer;
    private AckWindow acks;
    private TaskHistory history;
    private StatusUpdateHandler statusUpdates;
    private LaunchCycle launches;
    private JobCommands commands;
    private Housekeeping housekeeping;
    private TermStatusPublisher status;

    public LeaderTerm(long number, Fence fence, StateStore store, CoreConfig config, MesosConnection mesos,
                      PhaseTracker phases, CoreMetrics metrics, MetricRegistry registry, TermOwner owner,
                      SchedulerEventListener events, String participantId) {
        this(number, fence, store, config, mesos, phases, metrics, registry, owner, events, participantId, null);
    }

    /** @param standbyBook the book this replica kept current while it stood by, or null to build one */
    public LeaderTerm(long number, Fence fence, StateStore store, CoreConfig config, MesosConnection mesos,
                      PhaseTracker phases, CoreMetrics metrics, MetricRegistry registry, TermOwner owner,
                      SchedulerEventListener events, String participantId, StandbyBook standbyBook) {
        this.standbyBook = standbyBook;
        this.number = number;
        this.fence = fence;
        this.store = store;
        this.config = config;
        this.mesos = mesos;
        this.phases = phases;
        this.metrics = metrics;
        this.registry = registry;
        this.owner = owner;
        this.events = events;
        this.participantId = participantId;
        this.loop = new TermLoop(number, () -> halted, metrics.eventFailures);
        this.gate = new TermGate(number, phases, () -> halted);
        this.planner = new DemandPlanner(restarts, config.unreachableReplaceAfter().toMillis(),
                config.killReplaceAfter().toMillis());
        this.reconciler = new ReconciliationDriver(number, config, metrics, loop, gate::current, () -> driver,
                this::reconciled);
        this.offerFlow = new OfferFlow(number, config, metrics, loop, () -> halted, gate::current, gate::mayLaunch,
                () -> driver, () -> !planner.demands(book, knownAgents.keySet(), System.currentTimeMillis()).isEmpty());
        this.kills = new KillSender(config.killRetryInterval(), gate::current, () -> driver, metrics.killsSent);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Loads state and subscribes, on the term's loop. Returns at once. */
    public void start() {
        loop.post("load", this::load);
    }

    /** Ends the term: closes the Mesos subscription WITHOUT teardown and drops everything. Idempotent. */
    public void close() {
        long started = System.nanoTime();
        halt("term closed");
        loop.shutdown();
        LOG.info("Term {} closed in {} ms", number, (System.nanoTime() - started) / 1_000_000);
    }

    /** The connection to ZooKeeper is back after SUSPENDED: reconcile again before acting. */
    public void resumed() {
        loop.post("resume", () -> {
            if (book == null) {
                phases.moveTo(number, LifecyclePhase.LOADING);
            } else if (!subscribed || !frameworkIdDurable) {
                phases.moveTo(number, LifecyclePhase.SUBSCRIBING);
            } else {
                phases.moveTo(number, LifecyclePhase.RECONCILING);
                beginReconciliation("ZooKeeper connection resumed");
            }
        });
    }

    private void halt(String why) {
        if (halted) {
            return;
        }
        halted = true;
        LOG.info("Term {} halts ({}): closing the Mesos subscription without teardown", number, why);
        // Waiters may be on any thread; the loop may already be gone, so they hear it here and not via the loop.
        reconciler.failWaiters(new NotLeadingException("this replica's leadership term has ended"));
        SchedulerDriver d = driver;
        if (d != null) {
            // Not waiting for the HTTP clients to wind down: a deposed leader leaves the latch right after this, and
            // nothing is sent or delivered once stopAsync returns. awaitStopped waits for the rest.
            driverStopped = d.stopAsync();
        }
    }

    /** Waits (up to {@code limit}) until the closed term's Mesos driver has released its connections and threads. */
    public void awaitStopped(Duration limit) {
        try {
            driverStopped.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Term {}: the Mesos driver did not wind down within {} ms: {}", number, limit.toMillis(),
                    e.toString());
        }
    }

    private void load() {
        long started = System.nanoTime();
        StandbyBook ready = standbyBook;
        standbyBook = null; // a retried load's catch-up is a later point than the one the book was handed over at
        subscribeWhileLoading();
        long subscribing = System.nanoTime();
        // Read before this term's status overwrites its predecessor's; they travel while the records load.
        CompletableFuture<Optional<TermStatus>> predecessor = store.readTermStatus();
        CompletableFuture<FailoverHistory> failovers = store.readFailoverHistory();
        LoadedState state;
        try {
            state = store.loadForTerm(fence, MIRROR_CATCH_UP_LIMIT, ready);
        } catch (NotLeaderException e) {
            LOG.warn("Term {}: the fence failed while loading state; giving up the term", number);
            fenceLost();
            return;
        } catch (RuntimeException e) {
            metrics.loadFailures.inc();
            LOG.error("Term {}: loading state failed; retrying in 2 s", number, e);
            stopEarlyDriver();
            loop.schedule("load retry", this::load, Duration.ofSeconds(2));
            return;
        }
        if (driver != null && !state.frameworkId().equals(Optional.ofNullable(frameworkId))) {
            // Only a writer holding our fence could have changed it: we are not the leader any more.
            LOG.error("Term {}: the stored framework id changed from {} to {} while loading", number, frameworkId,
                    state.frameworkId().orElse("none"));
            fenceLost();
            return;
        }
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        long bookStarted = System.nanoTime();
        // The standby's book holds the records when the catch-up handed it over: they were not copied out then.
        Optional<TaskBook> kept = ready != null && state.fromMirror() ? ready.take() : Optional.empty();
        if (state.recordsWithFollower() && kept.isEmpty()) {
            // Not expected (the book was this term's to take): load again, and this time copy the records.
            metrics.loadFailures.inc();
            LOG.error("Term {}: the state mirror handed its records to a book this term could not take; loading again",
                    number);
            stopEarlyDriver();
            loop.post("load again", this::load);
            return;
        }
        TaskBook loaded = kept.orElseGet(() -> new TaskBook(state.jobs(), state.tasks(), state.blacklist()));
        long bookBuilt = System.nanoTime();
        LOG.info("Term {}: {} {} jobs, {} tasks, {} blacklisted agents in {} ms, {} ms of them before the subscription"
                + " was under way (framework id {})", number,
                state.fromMirror() ? "caught up with its state mirror:" : "loaded every record:", loaded.jobs().size(),
                loaded.tasks().size(), loaded.blacklistedAgents().size(), loadMillis,
                (subscribing - started) / 1_000_000, state.frameworkId().orElse("none yet"));
        state.quarantined().forEach(q -> LOG.error("Term {}: quarantined unreadable record {}", number, q));
        if (state.frameworkId().isEmpty() && !loaded.tasks().isEmpty()) {
            halt("no framework id");
            owner.fatal(new FatalError(FatalError.EXIT_NO_FRAMEWORK_ID_WITH_TASKS, "ZooKeeper holds "
                    + loaded.tasks().size() + " task records but no FrameworkID: subscribing would register a new "
                    + "framework and orphan those tasks. Restore " + store.layout().frameworkId()
                    + " (or remove the task records deliberately) before starting Beehive again."));
            return;
        }
        frameworkId = state.frameworkId().orElse(null);
        frameworkIdDurable = frameworkId != null;
        wireParts(loaded);
        long wired = System.nanoTime();
        restoreBackoff(loaded);
        long restored = System.nanoTime();
        book = loaded;
        history.markAll(); // the bounds may have changed since the last leader
        status.rememberPredecessor(predecessor, failovers);
        status.elected();
        long now = System.nanoTime();
        LOG.info("Term {}: book {} in {} ms, its parts wired in {} ms, backoff restored in {} ms, history marked and"
                + " term status sent in {} ms", number, kept.isPresent() ? "kept by the standby taken" : "built",
                (bookBuilt - bookStarted) / 1_000_000, (wired - bookBuilt) / 1_000_000, (restored - wired) / 1_000_000,
                (now - restored) / 1_000_000);
        refreshPhase();
        if (driver == null) {
            startDriver();
        }
        loop.every("housekeeping", housekeeping::tick, config.housekeepingInterval());
        loop.every("periodic reconciliation", this::periodicReconciliation, config.periodicReconcileInterval());
    }

    /**
     * With a FrameworkID stored, subscribing needs nothing else from the state, so it starts before the records are
     * read and Mesos' answer travels while they load (the two took 0.5 and 0.4 s of a hand-off under load). Every
     * Mesos callback is posted to this loop, so they all wait behind the load and find the state in place. Without a
     * stored id nothing is started: the load must first show that no task records exist (invariant 2).
     */
    private void subscribeWhileLoading() {
        // The id is written once and never changes (only an operator removes it), so a trusted mirror's copy saves a
        // read on the critical path; the load compares it with the caught-up state and gives up the term if they
        // differ. Without a trusted copy, ZooKeeper is asked.
        Optional<String> stored = store.mirror().filter(StateMirror::trusted).flatMap(StateMirror::frameworkId);
        if (stored.isEmpty()) {
            try {
                stored = store.readFrameworkId().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                return; // the load reads it again and reports what is wrong
            }
        }
        if (stored.isPresent()) {
            frameworkId = stored.get();
            frameworkIdDurable = true;
            startDriver();
        }
    }

    /** A failed load is retried; the subscription started beside it goes, and with it whatever it delivered. */
    private void stopEarlyDriver() {
        SchedulerDriver d = driver;
        driver = null;
        subscribed = false;
        if (d != null) {
            d.stop();
        }
    }

    /** The previous leader's backoff and crash-loop counts, from the failed records: a fail-over resets neither. */
    private void restoreBackoff(TaskBook loaded) {
        int slots = restarts.restore(loaded);
        if (slots > 0) {
            LOG.info("Term {}: restart backoff of {} slots restored from the failed task records", number, slots);
        }
        long now = System.currentTimeMillis();
        for (TaskRecord t : loaded.tasksWithBackoff()) {
            long wait = t.backoff().notBeforeMillis() - now;
            if (wait > 0 && loaded.job(t.jobId()) != null) {
                loop.schedule("backoff end", () -> offerFlow.want(false), Duration.ofMillis(wait));
            }
        }
    }

    /** Builds the parts that work on the loaded state; they share one {@link TermContext}. */
    private void wireParts(TaskBook loaded) {
        writer = new GroupCommitWriter(store, fence, loop, this::fenceLost);
        acks = new AckWindow(MAX_ACKS_IN_FLIGHT, s -> driver.acknowledgeStatusUpdate(s), gate::mayAcknowledge,
                loop, metrics.updatesAcknowledged::inc);
        TermContext ctx = new TermContext(number, config, metrics, loop, gate, loaded, writer, events, () -> driver);
        history = new TaskHistory(ctx);
        DeletedJobRemover remover = new DeletedJobRemover(ctx);
        TaskKiller killer = new TaskKiller(ctx, kills);
        StuckLaunchProbe probe = new StuckLaunchProbe(config.stagingTimeout());
        DeploymentDriver deployments = new DeploymentDriver(ctx, killer, planner, offerFlow);
        statusUpdates = new StatusUpdateHandler(ctx, acks, kills, restarts, offerFlow, remover, history, probe,
                reconciler::answered, deployments);
        launches = new LaunchCycle(ctx, knownAgents, planner, offerFlow);
        commands = new JobCommands(ctx, killer, remover, offerFlow, deployments);
        housekeeping = new Housekeeping(ctx, kills, killer, remover, history, probe, offerFlow, deployments);
        status = new TermStatusPublisher(number, writer, participantId, fence.epoch(), electedAtMillis);
    }

    private void startDriver() {
        if (halted) {
            return;
        }
        MesosClientConfig client = SubscriptionSettings.clientConfig(config, mesos, frameworkId);
        // The driver registers its connection-state gauge by name; the previous term's would shadow this one's.
        registry.remove(SchedulerDriver.STATE_GAUGE);
        driver = new SchedulerDriver(this, client, registry, SchedulerDriver.DEFAULT_ACK_LIMIT,
                owner.masterDetector());
        LOG.info("Term {}: subscribing to Mesos at {} with framework id {} (failover_timeout {})", number,
                mesos.masters(), frameworkId == null ? "none (new framework)" : frameworkId, config.failoverTimeout());
        driver.start();
    }

    private void fenceLost() {
        if (halted) {
            return;
        }
        LOG.warn("Term {}: a fenced write failed, this replica no longer leads; stopping all Mesos calls", number);
        halt("fence lost");
        owner.fenceLost();
    }

    private void refreshPhase() {
        LifecyclePhase wanted = wantedPhase();
        if (wanted != null) {
            phases.moveTo(number, wanted);
        }
    }

    /** The phase this term's facts call for, or null when the phase must not change now. */
    private LifecyclePhase wantedPhase() {
        if (halted || phases.phase() == LifecyclePhase.SUSPENDED) {
            return null; // a suspended term leaves SUSPENDED only through resumed()
        }
        if (book == null) {
            return LifecyclePhase.LOADING;
        } else if (!subscribed || !frameworkIdDurable) {
            return LifecyclePhase.SUBSCRIBING;
        } else if (!reconciled) {
            return LifecyclePhase.RECONCILING;
        }
        return LifecyclePhase.ACTIVE;
    }

    // ---- Mesos callbacks (driver thread: re-post in order) ------------------------------------------------------

    @Override
    public void registered(SchedulerDriver d, FrameworkID id, MasterInfo master) {
        fromDriver(d, "registered", () -> onSubscribed(id.getValue(), master));
    }

    @Override
    public void reregistered(SchedulerDriver d, MasterInfo master) {
        fromDriver(d, "reregistered", () -> onSubscribed(frameworkId, master));
    }

    @Override
    public void disconnected(SchedulerDriver d) {
        fromDriver(d, "disconnected", () -> {
            LOG.warn("Term {}: Mesos subscription lost; the driver reconnects", number);
            subscribed = false;
            reconciler.abandon();
            reconciled = false;
            refreshPhase();
        });
    }

    @Override
    public void resourceOffers(SchedulerDriver d, List<Offer> offers) {
        fromDriver(d, "offers", () -> launches.onOffers(offers));
    }

    @Override
    public void statusUpdate(SchedulerDriver d, TaskStatus status) {
        fromDriver(d, "status update", () -> statusUpdates.onStatus(status));
    }

    @Override
    public void agentLost(SchedulerDriver d, AgentID agentId) {
        fromDriver(d, "agent lost", () -> {
            LOG.warn("Term {}: agent {} lost; its tasks get their own updates", number, agentId.getValue());
            knownAgents.remove(agentId.getValue());
        });
    }

    @Override
    public void error(SchedulerDriver d, String message) {
        ConnectionState state = d.state();
        fromDriver(d, "error", () -> onError(message, state));
    }

    /** Runs a callback on the loop unless its driver has been replaced meanwhile (a load retried after failing). */
    private void fromDriver(SchedulerDriver d, String what, Runnable callback) {
        loop.post(what, () -> {
            if (d == driver) {
                callback.run();
            }
        });
    }

    // ---- subscription and reconciliation ------------------------------------------------------------------------

    private void onSubscribed(String id, MasterInfo master) {
        subscribed = true;
        if (subscribedAtMillis == 0) {
            subscribedAtMillis = System.currentTimeMillis();
        }
        offerFlow.subscribed();
        LOG.info("Term {}: subscribed with framework id {} (master {}:{})", number, id, master.getHostname(),
                master.getPort());
        if (frameworkIdDurable) {
            if (!id.equals(frameworkId)) {
                LOG.error("Term {}: Mesos answered framework id {} but {} is stored", number, id, frameworkId);
            }
            beginReconciliation("subscribed");
            return;
        }
        persistFrameworkId(id);
    }

    /** Invariant 2: the id is durable before anything else happens under it (offers are declined until then). */
    private void persistFrameworkId(String id) {
        refreshPhase();
        writer.submit(b -> b.putFrameworkId(id), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                frameworkId = id;
                frameworkIdDurable = true;
                LOG.info("Term {}: new framework id {} persisted", number, id);
                beginReconciliation("first subscription");
            }

            @Override
            public void failed(Throwable error) {
                if (!(error instanceof NotLeaderException)) {
                    LOG.error("Term {}: persisting framework id {} failed; retrying", number, id, error);
                    loop.schedule("persist framework id", () -> persistFrameworkId(id), Duration.ofSeconds(1));
                }
            }
        });
    }

    private void beginReconciliation(String why) {
        reconciled = false;
        refreshPhase();
        reconciler.begin(why, book.liveTasks());
    }

    /** The reconciliation after a subscription (or an operator's) is over: the term may act again. */
    private void reconciled(long tookMillis, long now) {
        reconciled = true;
        long at = reconciler.last().map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);
        boolean takingOffice = !inOffice && wantedPhase() == LifecyclePhase.ACTIVE;
        long failoverMillis = (now - electedNanos) / 1_000_000;
        if (takingOffice) {
            // Recorded before the phase turns ACTIVE: whoever waits for ACTIVE then finds the fail-over's duration.
            inOffice = true;
            metrics.failover.update(failoverMillis, TimeUnit.MILLISECONDS);
            owner.inOffice(tookMillis, failoverMillis);
        }
        refreshPhase();
        if (takingOffice) {
            LOG.info("Term {}: in office {} ms after election (framework id {})", number, failoverMillis,
                    frameworkId);
            status.inOffice(frameworkId, subscribedAtMillis, failoverMillis, at);
        } else {
            status.reconciled(at);
        }
        offerFlow.want(true);
    }

    private void periodicReconciliation() {
        if (gate.mayLaunch()) {
            reconciler.periodic();
            status.reconciled(System.currentTimeMillis());
            history.markAll(); // records also age out of the history
        }
    }

    private void onError(String message, ConnectionState state) {
        switch (state) {
            case FAILED_OVER -> {
                LOG.warn("Term {}: Mesos says another scheduler instance took over the framework ({}); stepping down",
                        number, message);
                halt("framework failed over");
                owner.failedOver();
            }
            case FRAMEWORK_REMOVED -> {
                halt("framework removed");
                owner.fatal(new FatalError(FatalError.EXIT_FRAMEWORK_REMOVED, "Mesos says framework " + frameworkId
                        + " has been removed (torn down, or its failover_timeout expired): its tasks are gone and the "
                        + "id can never subscribe again. An operator must decide what to do with the stored id. "
                        + "Mesos said: " + message));
            }
            case REFUSED -> {
                halt("subscription refused");
                owner.fatal(new FatalError(FatalError.EXIT_SUBSCRIPTION_REFUSED,
                        "Mesos refused the subscription: " + message));
            }
            default -> LOG.warn("Term {}: Mesos error: {}", number, message);
        }
    }

    // ---- commands (any thread; run on the loop by JobCommands) -----------------------------------------------

    private <T> CompletableFuture<T> command(Consumer<CompletableFuture<T>> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> {
            if (halted) {
                result.completeExceptionally(new NotLeadingException("this replica's leadership term has ended"));
            } else if (book == null) {
                result.completeExceptionally(new NotLeadingException("the leader is still loading its state"));
            } else {
                try {
                    body.accept(result);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        };
        try {
            loop.execute(run);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new NotLeadingException("this replica's leadership term has ended"));
        }
        return result;
    }

    /** Creates the job, or finds an identical one (a retried create); another job of that id is refused. */
    public CompletableFuture<JobCreation> createJob(JobRecord job) {
        return command(result -> commands.create(job, result));
    }

    public CompletableFuture<JobRecord> scaleJob(String jobId, int instances) {
        return scaleJob(jobId, instances, OptionalLong.empty());
    }

    /** @param ifVersion the version the job must be at, checked atomically with the write (If-Match) */
    public CompletableFuture<JobRecord> scaleJob(String jobId, int instances, OptionalLong ifVersion) {
        return command(result -> commands.scale(jobId, instances, ifVersion, result));
    }

    public CompletableFuture<JobRecord> updateJob(JobRecord update, boolean force) {
        return updateJob(update, force, OptionalLong.empty());
    }

    /**
     * Applies a new definition; a SERVICE's tasks are replaced by a deployment (see {@link JobCommands#update}).
     *
     * @param ifVersion the version the job must be at, checked atomically with the write (If-Match)
     */
    public CompletableFuture<JobRecord> updateJob(JobRecord update, boolean force, OptionalLong ifVersion) {
        return command(result -> commands.update(update, force, ifVersion, result));
    }

    /** Replaces every task of the job: a rolling restart (a deployment) for a SERVICE, all at once otherwise. */
    public CompletableFuture<JobRecord> restartJob(String jobId, boolean force) {
        return command(result -> commands.restart(jobId, force, result));
    }

    /** A deployment back to the job's previous definition. */
    public CompletableFuture<JobRecord> rollbackJob(String jobId) {
        return command(result -> commands.rollback(jobId, result));
    }

    /** Stops the job's deployment where it stands. */
    public CompletableFuture<JobRecord> cancelDeployment(String jobId) {
        return command(result -> commands.cancelDeployment(jobId, result));
    }

    public CompletableFuture<JobRecord> deleteJob(String jobId) {
        return deleteJob(jobId, OptionalLong.empty());
    }

    /** @param ifVersion the version the job must be at, checked atomically with the write (If-Match) */
    public CompletableFuture<JobRecord> deleteJob(String jobId, OptionalLong ifVersion) {
        return command(result -> commands.delete(jobId, ifVersion, result));
    }

    public CompletableFuture<Void> killTask(String taskId) {
        return command(result -> commands.killTask(taskId, result));
    }

    public CompletableFuture<BlacklistEntry> blacklistAgent(String agentId, String reason) {
        return command(result -> commands.blacklist(agentId, reason, result));
    }

    public CompletableFuture<Void> unblacklistAgent(String agentId) {
        return command(result -> commands.unblacklist(agentId, result));
    }

    /**
     * Reconciles now, exactly as after a subscription (explicit rounds for every live task, then implicit), and
     * completes when that reconciliation finishes with its finishing time. Launching pauses meanwhile (phase
     * RECONCILING), which is the point: an operator asks for this when they doubt the book. A reconciliation already
     * in progress is joined, not restarted.
     */
    public CompletableFuture<Instant> reconcileNow() {
        return command(result -> {
            if (!subscribed || !frameworkIdDurable) {
                throw new CommandRejectedException("not subscribed to Mesos yet; the leader reconciles as soon as "
                        + "it is");
            }
            reconciler.await(result);
            if (!reconciler.inProgress()) {
                beginReconciliation("operator request");
            }
        });
    }

    // ---- read-only views -------------------------------------------------------------------------------------

    public long number() {
        return number;
    }

    public Optional<TaskBook> book() {
        return Optional.ofNullable(book);
    }

    public Optional<String> frameworkId() {
        return Optional.ofNullable(frameworkId);
    }

    public Optional<Instant> lastReconciliation() {
        return reconciler.last();
    }

    public Fence fence() {
        return fence;
    }
}
