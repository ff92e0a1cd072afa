package io.beehive.scheduler.core.term;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import io.beehive.election.Fence;
import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.CoreMetrics;
import io.beehive.scheduler.core.FatalError;
import io.beehive.scheduler.core.LifecyclePhase;
import io.beehive.scheduler.core.MesosConnection;
import io.beehive.scheduler.core.PhaseTracker;
import io.beehive.scheduler.core.launch.OfferReader;
import io.beehive.scheduler.core.launch.TaskInfoFactory;
import io.beehive.scheduler.core.offer.AgentOffer;
import io.beehive.scheduler.core.offer.Demand;
import io.beehive.scheduler.core.offer.Match;
import io.beehive.scheduler.core.offer.OfferMatcher;
import io.beehive.scheduler.core.offer.Placement;
import io.beehive.scheduler.mesos.ConnectionState;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.mesos.SchedulerCalls;
import io.beehive.scheduler.sdk.Scheduler;
import io.beehive.scheduler.sdk.SchedulerDriver;
import io.beehive.state.LoadedState;
import io.beehive.state.NotLeaderException;
import io.beehive.state.StateStore;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.LastStatus;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One leadership term: created on {@code elected(fence)}, discarded on {@code deposed}. It owns the term's
 * in-memory state ({@link TaskBook}), its {@link SchedulerDriver} and its event loop: ONE thread on which Mesos
 * events (re-posted from the driver's thread in order), API commands and timers run one at a time. ZooKeeper
 * writes go through {@link GroupCommitWriter} (asynchronous, ordered) and their completions come back to the loop.
 * Parts with one concern each share that loop: {@link TermLoop} (the thread, and dropping work once halted),
 * {@link ReconciliationDriver} (explicit rounds, implicit request, on-demand waiters) and {@link KillSender}
 * (KILLs and their re-sending until the task is terminal).
 *
 * <p>The invariants live here: a task record is durable before its LAUNCH is sent; a status update is
 * acknowledged only after its new state is durable; nothing is launched before reconciliation after each
 * subscription; while SUSPENDED nothing is launched or acknowledged; a halted term sends nothing more.
 */
public final class LeaderTerm implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderTerm.class);
    /** Well below the HTTP client's per-destination queue (1024), leaving room for launches and declines. */
    private static final int MAX_ACKS_IN_FLIGHT = 256;

    private final long number;
    private final Fence fence;
    private final StateStore store;
    private final CoreConfig config;
    private final MesosConnection mesos;
    private final PhaseTracker phases;
    private final CoreMetrics metrics;
    private final MetricRegistry registry;
    private final TermOwner owner;
    private final long electedNanos = System.nanoTime();
    private final TermLoop loop;
    private final OfferMatcher matcher = new OfferMatcher();
    private final RestartTracker restarts = new RestartTracker();
    private final DemandPlanner planner;
    /** Agents learned from offers (id → where it is), for daemon jobs and placement constraints. */
    private final Map<String, Placement> knownAgents = new LinkedHashMap<>();
    private final KillSender kills;
    private final Map<String, Long> lastStagingProbeNanos = new HashMap<>();
    private final Set<String> deletionsInFlight = new HashSet<>();
    /** Jobs with tasks that ended since the last housekeeping tick: their history may have outgrown its bounds. */
    private final Set<String> historyToPrune = new HashSet<>();

    private volatile TaskBook book;
    private volatile String frameworkId;
    private volatile boolean halted;
    private GroupCommitWriter writer;
    private AckWindow acks;
    private SchedulerDriver driver;
    private boolean subscribed;
    private boolean frameworkIdDurable;
    private boolean reconciled;
    private boolean inOffice;
    private final ReconciliationDriver reconciler;
    private final OfferFlow offerFlow;

    public LeaderTerm(long number, Fence fence, StateStore store, CoreConfig config, MesosConnection mesos,
                      PhaseTracker phases, CoreMetrics metrics, MetricRegistry registry, TermOwner owner) {
        this.number = number;
        this.fence = fence;
        this.store = store;
        this.config = config;
        this.mesos = mesos;
        this.phases = phases;
        this.metrics = metrics;
        this.registry = registry;
        this.owner = owner;
        this.planner = new DemandPlanner(restarts, config.unreachableReplaceAfter().toMillis());
        this.loop = new TermLoop(number, () -> halted);
        this.reconciler = new ReconciliationDriver(number, config, metrics, loop, this::current, () -> driver,
                this::reconciled);
        this.offerFlow = new OfferFlow(number, config, metrics, loop, () -> halted, this::current, this::mayLaunch,
                () -> driver, () -> !planner.demands(book, knownAgents.keySet(), System.currentTimeMillis()).isEmpty());
        this.kills = new KillSender(config.killRetryInterval(), this::current, () -> driver, metrics.killsSent);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Loads state and subscribes, on the term's loop. Returns at once. */
    public void start() {
        loop.post("load", this::load);
    }

    /** Ends the term: closes the Mesos subscription WITHOUT teardown and drops everything. Idempotent. */
    public void close() {
        halt("term closed");
        loop.shutdown();
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
            d.stop();
        }
    }

    private void load() {
        long started = System.nanoTime();
        LoadedState state;
        try {
            state = store.loadAll(fence);
        } catch (NotLeaderException e) {
            LOG.warn("Term {}: the fence failed while loading state; giving up the term", number);
            fenceLost();
            return;
        } catch (RuntimeException e) {
            LOG.error("Term {}: loading state failed; retrying in 2 s", number, e);
            loop.schedule("load retry", this::load, Duration.ofSeconds(2));
            return;
        }
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Term {}: loaded {} jobs, {} tasks, {} blacklisted agents in {} ms (framework id {})", number,
                state.jobs().size(), state.tasks().size(), state.blacklist().size(), loadMillis,
                state.frameworkId().orElse("none yet"));
        state.quarantined().forEach(q -> LOG.error("Term {}: quarantined unreadable record {}", number, q));
        if (state.frameworkId().isEmpty() && !state.tasks().isEmpty()) {
            halt("no framework id");
            owner.fatal(new FatalError(FatalError.EXIT_NO_FRAMEWORK_ID_WITH_TASKS, "ZooKeeper holds "
                    + state.tasks().size() + " task records but no FrameworkID: subscribing would register a new "
                    + "framework and orphan those tasks. Restore " + store.layout().frameworkId()
                    + " (or remove the task records deliberately) before starting Beehive again."));
            return;
        }
        book = new TaskBook(state.jobs(), state.tasks(), state.blacklist());
        state.jobs().forEach(j -> historyToPrune.add(j.id())); // the bounds may have changed since the last leader
        frameworkId = state.frameworkId().orElse(null);
        frameworkIdDurable = frameworkId != null;
        writer = new GroupCommitWriter(store, fence, loop, this::fenceLost);
        acks = new AckWindow(MAX_ACKS_IN_FLIGHT, s -> driver.acknowledgeStatusUpdate(s), this::mayAcknowledge,
                loop, metrics.updatesAcknowledged::inc);
        refreshPhase();
        startDriver();
        loop.every("housekeeping", this::housekeeping, config.housekeepingInterval());
        loop.every("periodic reconciliation", this::periodicReconciliation, config.periodicReconcileInterval());
    }

    private void startDriver() {
        if (halted) {
            return;
        }
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
                .setUser(config.user())
                .setName(config.frameworkName())
                .setRole(config.role())
                .setFailoverTimeout(config.failoverTimeout().toMillis() / 1000.0)
                .setCheckpoint(true)
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE))
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        MesosClientConfig.Builder client = MesosClientConfig.builder()
                .masters(mesos.masters())
                .encoding(mesos.encoding());
        if (frameworkId != null) {
            FrameworkID id = FrameworkID.newBuilder().setValue(frameworkId).build();
            info.setId(id);
            client.frameworkId(id);
        }
        if (mesos.principal().isPresent()) {
            info.setPrincipal(mesos.principal().get());
            client.credentials(mesos.principal().get(), mesos.secret().orElseThrow());
        }
        client.frameworkInfo(info.build());
        // The driver registers its connection-state gauge by name; the previous term's would shadow this one's.
        registry.remove(SchedulerDriver.STATE_GAUGE);
        driver = new SchedulerDriver(this, client.build(), registry, SchedulerDriver.DEFAULT_ACK_LIMIT,
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
        if (halted || phases.phase() == LifecyclePhase.SUSPENDED) {
            return; // a suspended term leaves SUSPENDED only through resumed()
        }
        LifecyclePhase wanted;
        if (book == null) {
            wanted = LifecyclePhase.LOADING;
        } else if (!subscribed || !frameworkIdDurable) {
            wanted = LifecyclePhase.SUBSCRIBING;
        } else if (!reconciled) {
            wanted = LifecyclePhase.RECONCILING;
        } else {
            wanted = LifecyclePhase.ACTIVE;
        }
        phases.moveTo(number, wanted);
    }

    private boolean current() {
        return !halted && phases.term() == number;
    }

    private boolean mayLaunch() {
        return current() && phases.phase() == LifecyclePhase.ACTIVE;
    }

    private boolean mayAcknowledge() {
        LifecyclePhase p = phases.phase();
        return current() && p.isLeading() && p != LifecyclePhase.SUSPENDED;
    }

    // ---- Mesos callbacks (driver thread: re-post in order) ------------------------------------------------------

    @Override
    public void registered(SchedulerDriver d, FrameworkID id, MasterInfo master) {
        loop.post("registered", () -> onSubscribed(id.getValue(), master));
    }

    @Override
    public void reregistered(SchedulerDriver d, MasterInfo master) {
        loop.post("reregistered", () -> onSubscribed(frameworkId, master));
    }

    @Override
    public void disconnected(SchedulerDriver d) {
        loop.post("disconnected", () -> {
            LOG.warn("Term {}: Mesos subscription lost; the driver reconnects", number);
            subscribed = false;
            reconciler.abandon();
            reconciled = false;
            refreshPhase();
        });
    }

    @Override
    public void resourceOffers(SchedulerDriver d, List<Offer> offers) {
        loop.post("offers", () -> onOffers(offers));
    }

    @Override
    public void statusUpdate(SchedulerDriver d, TaskStatus status) {
        loop.post("status update", () -> onStatus(status));
    }

    @Override
    public void agentLost(SchedulerDriver d, AgentID agentId) {
        loop.post("agent lost", () -> {
            LOG.warn("Term {}: agent {} lost; its tasks get their own updates", number, agentId.getValue());
            knownAgents.remove(agentId.getValue());
        });
    }

    @Override
    public void error(SchedulerDriver d, String message) {
        ConnectionState state = d.state();
        loop.post("error", () -> onError(message, state));
    }

    // ---- subscription and reconciliation ------------------------------------------------------------------------

    private void onSubscribed(String id, MasterInfo master) {
        subscribed = true;
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
        refreshPhase();
        if (!inOffice && phases.phase() == LifecyclePhase.ACTIVE) {
            inOffice = true;
            long failoverMillis = (now - electedNanos) / 1_000_000;
            metrics.failover.update(failoverMillis, TimeUnit.MILLISECONDS);
            LOG.info("Term {}: in office {} ms after election", number, failoverMillis);
            owner.inOffice(tookMillis, failoverMillis);
        }
        offerFlow.want(true);
    }

    private void periodicReconciliation() {
        if (mayLaunch()) {
            reconciler.periodic();
            book.jobs().forEach(j -> historyToPrune.add(j.id())); // records also age out of the history
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

    // ---- offers ----------------------------------------------------------------------------------------------

    private void onOffers(List<Offer> offers) {
        metrics.offersReceived.inc(offers.size());
        for (Offer o : offers) {
            AgentOffer a = OfferReader.read(o);
            knownAgents.put(a.agentId(), new Placement("", a.agentId(), a.hostname(), a.attributes()));
        }
        if (!mayLaunch()) {
            offerFlow.decline(offers, config.declineFilter());
            return;
        }
        long now = System.currentTimeMillis();
        List<Demand> demands = planner.demands(book, knownAgents.keySet(), now);
        if (demands.isEmpty()) {
            offerFlow.decline(offers, config.idleDeclineFilter());
            offerFlow.suppress();
            return;
        }
        List<Placement> placed = new ArrayList<>();
        for (TaskRecord t : book.liveTasks()) {
            Placement where = t.agentId() == null ? null : knownAgents.get(t.agentId());
            placed.add(new Placement(t.jobId(), t.agentId(), where == null ? t.hostname() : where.hostname(),
                    where == null ? Map.of() : where.attributes()));
        }
        List<Demand> remaining = new ArrayList<>(demands);
        Map<String, Map<String, Integer>> attempts = new HashMap<>(); // per job, computed once per offer cycle
        Map<Offer, List<TaskRecord>> launches = new LinkedHashMap<>();
        List<Offer> unused = new ArrayList<>();
        for (Offer offer : offers) {
            AgentOffer a = OfferReader.read(offer);
            List<Match> matches = matcher.match(a, remaining, placed, book.blacklistedAgents());
            if (matches.isEmpty()) {
                unused.add(offer);
                continue;
            }
            List<TaskRecord> records = new ArrayList<>();
            Set<Demand> placedNow = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Match m : matches) {
                Demand d = m.demand();
                placedNow.add(d);
                int attempt = attempts.computeIfAbsent(d.jobId(), j -> DemandPlanner.nextAttempts(book.tasksOf(j)))
                        .getOrDefault(DemandPlanner.attemptKey(d.instance(), d.requiredAgentId()), 0);
                TaskRecord r = new TaskRecord(TaskIds.next(d.jobId(), d.instance(), attempt), d.jobId(),
                        d.instance(), a.agentId(), a.hostname(), TaskState.TASK_STAGING, null, now, now,
                        DesiredState.RUNNING, 0, attempt, m.ports());
                book.putTask(r);
                records.add(r);
                placed.add(new Placement(d.jobId(), a.agentId(), a.hostname(), a.attributes()));
            }
            launches.put(offer, records);
            // Filter once per offer: removing matched demands one by one from a long list is quadratic.
            remaining.removeIf(placedNow::contains);
        }
        offerFlow.decline(unused, config.declineFilter());
        if (!launches.isEmpty()) {
            writeThenLaunch(launches);
        }
    }

    /** Invariant 3: every record of this offer cycle is durable (one fenced batch) before any LAUNCH is sent. */
    private void writeThenLaunch(Map<Offer, List<TaskRecord>> launches) {
        List<TaskRecord> all = new ArrayList<>();
        launches.values().forEach(all::addAll);
        writer.submit(b -> b.putTasks(all), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                launch(launches);
            }

            @Override
            public void failed(Throwable error) {
                metrics.launchesAbandoned.inc(all.size());
                LOG.warn("Term {}: writing {} task records failed ({}); not launching them", number, all.size(),
                        error.toString());
                if (current()) {
                    offerFlow.decline(new ArrayList<>(launches.keySet()), config.declineFilter());
                }
                if (!(error instanceof NotLeaderException)) {
                    // Nothing (or only part) landed; the records stay STAGING and the staging probe settles them.
                    LOG.info("Term {}: the unlaunched STAGING records will be reconciled and replaced", number);
                }
            }
        });
    }

    private void launch(Map<Offer, List<TaskRecord>> launches) {
        if (!mayLaunch()) {
            // Suspended (or deposed) while the records were written: the records stay STAGING and are reconciled
            // (Mesos answers that it never heard of them) and replaced once the term acts again.
            LOG.info("Term {}: phase {} — not launching {} written tasks", number, phases.phase(),
                    launches.values().stream().mapToInt(List::size).sum());
            if (current()) {
                offerFlow.decline(new ArrayList<>(launches.keySet()), config.declineFilter());
            }
            return;
        }
        for (Map.Entry<Offer, List<TaskRecord>> e : launches.entrySet()) {
            Offer offer = e.getKey();
            List<TaskInfo> infos = new ArrayList<>();
            for (TaskRecord r : e.getValue()) {
                JobRecord job = book.job(r.jobId());
                if (job != null && job.goal() == JobGoal.RUNNING) {
                    infos.add(TaskInfoFactory.build(job, r, offer));
                }
            }
            if (infos.isEmpty()) {
                offerFlow.decline(List.of(offer), config.declineFilter());
                continue;
            }
            Filters filters = Filters.newBuilder().setRefuseSeconds(config.declineFilter().toMillis() / 1000.0).build();
            driver.launchTasks(List.of(offer.getId()), infos, filters).whenComplete((ok, err) -> {
                if (err != null) {
                    LOG.warn("Term {}: LAUNCH on offer {} failed: {}; the staging probe will settle the tasks", number,
                            offer.getId().getValue(), err.toString());
                }
            });
            metrics.tasksLaunched.inc(infos.size());
            LOG.debug("Term {}: launched {} tasks on {}", number, infos.size(), offer.getHostname());
        }
    }

    // ---- status updates --------------------------------------------------------------------------------------

    private void onStatus(TaskStatus status) {
        metrics.updatesReceived.inc();
        String taskId = status.getTaskId().getValue();
        TaskState newState = TaskStates.fromMesos(status.getState());
        boolean needsAck = status.hasUuid() && !status.getUuid().isEmpty();
        if (needsAck) {
            metrics.updatesAcknowledgeable.inc();
        }
        TaskRecord rec = book.task(taskId);
        if (rec == null) {
            unknownTask(status, newState, needsAck);
        } else if (TaskStates.isGone(rec.state()) && !TaskStates.isGone(newState)) {
            // We replaced this task already; it must not run next to its successor.
            LOG.warn("Term {}: task {} reported {} but was recorded {}; killing it", number, taskId, newState,
                    rec.state());
            kills.send(taskId, status.hasAgentId() ? status.getAgentId().getValue() : rec.agentId());
            acknowledgeNow(status, needsAck);
        } else if (rec.state() == newState && !needsAck) {
            LOG.trace("Term {}: {} confirmed {}", number, taskId, newState);
        } else {
            record(rec, status, newState, needsAck);
        }
        reconciler.answered(taskId);
    }

    private void unknownTask(TaskStatus status, TaskState state, boolean needsAck) {
        String taskId = status.getTaskId().getValue();
        if (!TaskStates.isGone(state) && config.killUnknownTasks() && current()) {
            LOG.warn("Term {}: Mesos reports task {} ({}) that Beehive has no record of; killing it", number, taskId,
                    state);
            kills.send(taskId, status.hasAgentId() ? status.getAgentId().getValue() : null);
        }
        acknowledgeNow(status, needsAck); // nothing of ours to persist
    }

    private void acknowledgeNow(TaskStatus status, boolean needsAck) {
        if (needsAck && mayAcknowledge()) {
            acks.acknowledge(status);
        }
    }

    /** Invariant 4: write the new state; only when it is durable, acknowledge. */
    private void record(TaskRecord rec, TaskStatus status, TaskState newState, boolean needsAck) {
        long now = System.currentTimeMillis();
        LastStatus last = new LastStatus(needsAck ? uuidText(status.getUuid()) : null,
                status.hasMessage() ? status.getMessage() : null,
                status.hasReason() ? status.getReason().name() : null,
                status.hasSource() ? status.getSource().name() : null,
                status.hasTimestamp() ? (long) (status.getTimestamp() * 1000) : now);
        TaskRecord updated = rec.withStatus(newState, last, now);
        book.putTask(updated);
        boolean becameGone = TaskStates.isGone(newState) && !TaskStates.isGone(rec.state());
        if (becameGone) {
            historyToPrune.add(rec.jobId()); // pruned on the next housekeeping tick: once per job, not per task
        }
        writer.submit(b -> b.putTask(updated), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                if (!needsAck) {
                    return;
                }
                if (mayAcknowledge()) {
                    acks.acknowledge(status);
                } else {
                    LOG.debug("Term {}: not acknowledging {} of {} (phase {}); Mesos will resend it", number,
                            newState, rec.taskId(), phases.phase());
                }
            }

            @Override
            public void failed(Throwable error) {
                metrics.updatesUnpersisted.inc();
                LOG.warn("Term {}: {} of task {} not persisted ({}); not acknowledged, Mesos will resend it", number,
                        newState, rec.taskId(), error.toString());
            }
        });
        if (becameGone) {
            taskGone(updated);
        }
    }

    private static String uuidText(ByteString uuid) {
        if (uuid.size() == 16) {
            ByteBuffer b = uuid.asReadOnlyByteBuffer();
            return new UUID(b.getLong(), b.getLong()).toString();
        }
        return java.util.Base64.getEncoder().encodeToString(uuid.toByteArray());
    }

    private void taskGone(TaskRecord task) {
        kills.forget(task.taskId());
        lastStagingProbeNanos.remove(task.taskId());
        JobRecord job = book.job(task.jobId());
        if (job == null) {
            return;
        }
        if (job.goal() == JobGoal.DELETED) {
            maybeFinishDeletion(job);
            return;
        }
        LOG.info("Term {}: task {} of job {} is {}{}", number, task.taskId(), job.id(), task.state(),
                task.lastStatus() == null || task.lastStatus().reason() == null ? ""
                        : " (" + task.lastStatus().reason() + ")");
        if (task.desiredState() == DesiredState.RUNNING && countsAsFailure(job, task.state())) {
            String slot = job.kind() == JobKind.DAEMON ? DemandPlanner.agentSlot(job.id(), task.agentId())
                    : DemandPlanner.slot(job.id(), task.instance());
            long until = restarts.failed(slot, job.restartPolicy(), System.currentTimeMillis());
            long delay = until - System.currentTimeMillis();
            if (delay > 0) {
                loop.schedule("backoff end", () -> offerFlow.want(false), Duration.ofMillis(delay));
            }
        }
        offerFlow.want(true);
    }

    /** A task that failed by itself backs off; one the infrastructure lost is replaced at once. */
    private static boolean countsAsFailure(JobRecord job, TaskState state) {
        return switch (state) {
            case TASK_FAILED, TASK_ERROR, TASK_KILLED -> true;
            case TASK_FINISHED -> job.kind() != JobKind.BATCH;
            default -> false;
        };
    }

    // ---- kills, deletion, housekeeping ----------------------------------------------------------------------

    /** Persists the kill intent of each task, then sends the KILLs. */
    private CompletableFuture<Void> killTasks(Collection<TaskRecord> tasks, String why) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long now = System.currentTimeMillis();
        List<TaskRecord> marked = new ArrayList<>();
        for (TaskRecord t : tasks) {
            TaskRecord m = t.withKillIntent(now);
            book.putTask(m);
            marked.add(m);
        }
        if (marked.isEmpty()) {
            done.complete(null);
            return done;
        }
        LOG.info("Term {}: killing {} tasks ({})", number, marked.size(), why);
        writer.submit(b -> b.putTasks(marked), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                marked.forEach(t -> kills.send(t.taskId(), t.agentId()));
                done.complete(null);
            }

            @Override
            public void failed(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    private void maybeFinishDeletion(JobRecord job) {
        if (deletionsInFlight.contains(job.id())) {
            return;
        }
        for (TaskRecord t : book.tasksOf(job.id())) {
            if (!TaskStates.isGone(t.state())) {
                return;
            }
        }
        deletionsInFlight.add(job.id());
        List<String> taskIds = book.tasksOf(job.id()).stream().map(TaskRecord::taskId).toList();
        writer.submit(b -> {
            taskIds.forEach(b::deleteTask);
            b.deleteJob(job.id());
        }, new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                deletionsInFlight.remove(job.id());
                book.removeJob(job.id());
                LOG.info("Term {}: job {} deleted ({} task records removed)", number, job.id(), taskIds.size());
            }

            @Override
            public void failed(Throwable error) {
                deletionsInFlight.remove(job.id());
                LOG.warn("Term {}: removing deleted job {} failed ({}); will retry", number, job.id(), error.toString());
            }
        });
    }

    private void housekeeping() {
        if (!mayLaunch()) {
            return;
        }
        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        List<Call.Reconcile.Task> probes = new ArrayList<>();
        List<TaskRecord> toKill = new ArrayList<>();
        for (TaskRecord t : book.liveTasks()) {
            JobRecord job = book.job(t.jobId());
            if (t.desiredState() == DesiredState.KILLED) {
                kills.resendIfDue(t.taskId(), t.agentId(), nowNanos); // until the task is terminal
                continue;
            }
            if ((t.state() == TaskState.TASK_STAGING || t.state() == TaskState.TASK_STARTING)
                    && nowMillis - t.updatedAtMillis() >= config.stagingTimeout().toMillis()) {
                Long probed = lastStagingProbeNanos.get(t.taskId());
                if (probed == null || nowNanos - probed >= config.stagingTimeout().toNanos()) {
                    lastStagingProbeNanos.put(t.taskId(), nowNanos);
                    probes.add(SchedulerCalls.reconcileTask(TaskID.newBuilder().setValue(t.taskId()).build(),
                            t.agentId() == null ? null : AgentID.newBuilder().setValue(t.agentId()).build()));
                }
            }
            if (t.state() == TaskState.TASK_UNREACHABLE
                    && nowMillis - t.updatedAtMillis() >= config.unreachableReplaceAfter().toMillis()) {
                toKill.add(t); // its replacement may start; if it comes back it must not run twice
            } else if (job != null && job.kind() == JobKind.SERVICE && t.instance() >= job.instances()) {
                toKill.add(t); // scaled down
            } else if (job == null || job.goal() == JobGoal.DELETED) {
                toKill.add(t);
            }
        }
        if (!probes.isEmpty()) {
            LOG.info("Term {}: {} tasks stuck launching; asking Mesos about them", number, probes.size());
            driver.reconcileTasks(probes);
        }
        if (!toKill.isEmpty()) {
            killTasks(toKill, "scale down, deleted job or unreachable too long");
        }
        for (JobRecord job : book.jobs()) {
            if (job.goal() == JobGoal.DELETED) {
                maybeFinishDeletion(job);
            }
        }
        pruneHistory(nowMillis);
        offerFlow.want(false);
    }

    /** Deletes terminal records beyond the per-job history bounds, in the same ordered write stream. */
    private void pruneHistory(long nowMillis) {
        if (historyToPrune.isEmpty()) {
            return;
        }
        List<String> prune = new ArrayList<>();
        for (String jobId : historyToPrune) {
            prune.addAll(HistoryPruner.prunable(book.tasksOf(jobId), config.historyMaxPerJob(),
                    config.historyMaxAge().toMillis(), nowMillis));
        }
        historyToPrune.clear();
        if (prune.isEmpty()) {
            return;
        }
        prune.forEach(book::removeTask);
        writer.submit(b -> prune.forEach(b::deleteTask), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                LOG.debug("Term {}: pruned {} terminal task records", number, prune.size());
            }

            @Override
            public void failed(Throwable error) {
                LOG.warn("Term {}: pruning {} terminal task records failed ({}); the next leader prunes them",
                        number, prune.size(), error.toString());
            }
        });
    }

    // ---- commands (any thread; run on the loop) --------------------------------------------------------------

    private <T> CompletableFuture<T> command(String what, Consumer<CompletableFuture<T>> body) {
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

    private <T> GroupCommitWriter.Outcome completing(CompletableFuture<T> result, T value, Runnable thenOnLoop) {
        return new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                thenOnLoop.run();
                result.complete(value);
            }

            @Override
            public void failed(Throwable error) {
                result.completeExceptionally(error);
            }
        };
    }

    public CompletableFuture<JobRecord> createJob(JobRecord job) {
        return command("create job", result -> {
            JobRecord existing = book.job(job.id());
            if (existing != null) {
                throw new CommandRejectedException("job " + job.id() + " already exists"
                        + (existing.goal() == JobGoal.DELETED ? " (it is being deleted)" : ""));
            }
            if (job.goal() != JobGoal.RUNNING) {
                throw new CommandRejectedException("a new job must have goal RUNNING");
            }
            writer.submit(b -> b.putJob(job), completing(result, job, () -> {
                book.putJob(job);
                LOG.info("Term {}: job {} created ({} x {})", number, job.id(), job.kind(), job.instances());
                offerFlow.want(true);
            }));
        });
    }

    public CompletableFuture<JobRecord> scaleJob(String jobId, int instances) {
        return command("scale job", result -> {
            JobRecord job = runningJob(jobId);
            if (job.kind() == JobKind.DAEMON) {
                throw new CommandRejectedException("job " + jobId + " is a daemon: it runs one task per agent");
            }
            if (instances < 0) {
                throw new CommandRejectedException("instances must not be negative, got " + instances);
            }
            JobRecord scaled = new JobRecord(job.id(), job.kind(), job.command(), job.environment(), job.resources(),
                    instances, job.constraints(), job.restartPolicy(), job.killGracePeriodMillis(), job.goal(),
                    job.version() + 1, job.createdAtMillis(), System.currentTimeMillis());
            writer.submit(b -> b.putJob(scaled), completing(result, scaled, () -> {
                book.putJob(scaled);
                LOG.info("Term {}: job {} scaled {} -> {}", number, jobId, job.instances(), instances);
                List<TaskRecord> excess = book.tasksOf(jobId).stream()
                        .filter(t -> !TaskStates.isGone(t.state()) && t.desiredState() == DesiredState.RUNNING
                                && t.instance() >= instances)
                        .toList();
                killTasks(excess, "job " + jobId + " scaled down");
                offerFlow.want(true);
            }));
        });
    }

    /**
     * Replaces the job's definition (command, resources, constraints, instances, …) and then every live task, so
     * all of them run the new definition. The new record's id and kind must match; its version is set here.
     */
    public CompletableFuture<JobRecord> updateJob(JobRecord update) {
        return command("update job", result -> {
            JobRecord job = runningJob(update.id());
            if (update.kind() != job.kind()) {
                throw new CommandRejectedException("job " + job.id() + " is a " + job.kind() + "; its kind cannot change");
            }
            JobRecord next = new JobRecord(job.id(), job.kind(), update.command(), update.environment(),
                    update.resources(), update.instances(), update.constraints(), update.restartPolicy(),
                    update.killGracePeriodMillis(), JobGoal.RUNNING, job.version() + 1, job.createdAtMillis(),
                    System.currentTimeMillis());
            writer.submit(b -> b.putJob(next), completing(result, next, () -> {
                book.putJob(next);
                LOG.info("Term {}: job {} updated to version {}", number, job.id(), next.version());
                killTasks(liveTasksOf(job.id()), "job " + job.id() + " updated");
                offerFlow.want(true);
            }));
        });
    }

    /** Kills every live task of the job; each is replaced under a new task id (no backoff: this is not a failure). */
    public CompletableFuture<Void> restartJob(String jobId) {
        return command("restart job", result -> {
            runningJob(jobId);
            killTasks(liveTasksOf(jobId), "job " + jobId + " restarted").whenComplete((ok, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    offerFlow.want(true);
                    result.complete(null);
                }
            });
        });
    }

    private List<TaskRecord> liveTasksOf(String jobId) {
        return book.tasksOf(jobId).stream()
                .filter(t -> !TaskStates.isGone(t.state()) && t.desiredState() == DesiredState.RUNNING).toList();
    }

    public CompletableFuture<JobRecord> deleteJob(String jobId) {
        return command("delete job", result -> {
            JobRecord job = runningJob(jobId);
            JobRecord deleted = job.withGoal(JobGoal.DELETED, System.currentTimeMillis());
            writer.submit(b -> b.putJob(deleted), completing(result, deleted, () -> {
                book.putJob(deleted);
                List<TaskRecord> live = book.tasksOf(jobId).stream().filter(t -> !TaskStates.isGone(t.state()))
                        .toList();
                killTasks(live, "job " + jobId + " deleted");
                maybeFinishDeletion(deleted);
            }));
        });
    }

    public CompletableFuture<Void> killTask(String taskId) {
        return command("kill task", result -> {
            TaskRecord t = book.task(taskId);
            if (t == null) {
                throw new CommandRejectedException("no task " + taskId);
            }
            if (TaskStates.isGone(t.state())) {
                throw new CommandRejectedException("task " + taskId + " is already " + t.state());
            }
            killTasks(List.of(t), "operator kill").whenComplete((ok, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    result.complete(null);
                }
            });
        });
    }

    /**
     * Reconciles now, exactly as after a subscription (explicit rounds for every live task, then implicit), and
     * completes when that reconciliation finishes with its finishing time. Launching pauses meanwhile (phase
     * RECONCILING), which is the point: an operator asks for this when they doubt the book. A reconciliation already
     * in progress is joined, not restarted.
     */
    public CompletableFuture<Instant> reconcileNow() {
        return command("reconcile now", result -> {
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

    public CompletableFuture<BlacklistEntry> blacklistAgent(String agentId, String reason) {
        return command("blacklist agent", result -> {
            BlacklistEntry entry = new BlacklistEntry(agentId, reason, System.currentTimeMillis());
            writer.submit(b -> b.putBlacklist(entry), completing(result, entry, () -> {
                book.blacklist(entry);
                LOG.info("Term {}: agent {} blacklisted ({})", number, agentId, reason);
            }));
        });
    }

    public CompletableFuture<Void> unblacklistAgent(String agentId) {
        return command("unblacklist agent", result ->
                writer.submit(b -> b.removeBlacklist(agentId), completing(result, null, () -> {
                    book.unblacklist(agentId);
                    offerFlow.want(true);
                })));
    }

    private JobRecord runningJob(String jobId) {
        JobRecord job = book.job(jobId);
        if (job == null) {
            throw new CommandRejectedException("no job " + jobId);
        }
        if (job.goal() == JobGoal.DELETED) {
            throw new CommandRejectedException("job " + jobId + " is being deleted");
        }
        return job;
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
