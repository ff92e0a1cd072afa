package io.beehive.scheduler.sdk;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.beehive.scheduler.mesos.ConnectionState;
import io.beehive.scheduler.mesos.MesosClient;
import io.beehive.scheduler.mesos.MasterDetector;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.mesos.MesosClientListener;
import io.beehive.scheduler.mesos.SchedulerCalls;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Scheduler} on a {@link MesosClient}: turns stream events into callbacks on one event thread and
 * offers the calls a framework makes. Every call returns a future that completes when the master accepted it (202),
 * which is "queued", never "done"; calls reach the master in the order they were made.
 *
 * <p>A driver is single-use: start it once, and after it stopped (for whatever reason) build a new one, e.g. for the
 * next leadership term, passing the stored FrameworkID in {@link MesosClientConfig.Builder#frameworkId}.
 */
public final class SchedulerDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerDriver.class);
    /** How long a status update may stay unacknowledged before it is counted and logged, unless configured. */
    public static final Duration DEFAULT_ACK_LIMIT = Duration.ofSeconds(30);
    /** Name of the one thread every callback runs on. */
    public static final String EVENT_THREAD = "beehive-scheduler-events";

    private final Scheduler scheduler;
    private final MesosClient client;
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final AcknowledgementTracker acks;
    private volatile boolean registeredOnce;
    private final Counter subscriptions;
    private final Counter disconnections;

    /** SUBSCRIBED events received (first subscription and every re-subscription). */
    public static final String SUBSCRIPTIONS_COUNTER = "mesos.subscriptions";
    /** Established subscriptions lost (the client reconnects by itself after each). */
    public static final String DISCONNECTIONS_COUNTER = "mesos.disconnections";
    /** The client's {@link ConnectionState} name. */
    public static final String STATE_GAUGE = "mesos.connection-state";

    public SchedulerDriver(Scheduler scheduler, MesosClientConfig config) {
        this(scheduler, config, new MetricRegistry(), DEFAULT_ACK_LIMIT);
    }

    /**
     * @param metrics  where the acknowledgement metrics go ({@value AcknowledgementTracker#OVERDUE_COUNTER},
     *                 {@value AcknowledgementTracker#PENDING_GAUGE})
     * @param ackLimit time after which an unacknowledged status update is counted and logged
     */
    public SchedulerDriver(Scheduler scheduler, MesosClientConfig config, MetricRegistry metrics, Duration ackLimit) {
        this(scheduler, config, metrics, ackLimit, MasterDetector.fromSpec(config.masters(), config.scheme()));
    }

    /**
     * @param detector finds the leading master; closed with the driver (pass a lease of a longer-lived detector to
     *                 keep it, as a standby replica does so it knows the master before it is elected)
     */
    public SchedulerDriver(Scheduler scheduler, MesosClientConfig config, MetricRegistry metrics, Duration ackLimit,
                           MasterDetector detector) {
        this.scheduler = scheduler;
        this.events = Executors.newSingleThreadExecutor(r -> daemon(r, EVENT_THREAD));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "beehive-scheduler-timer"));
        this.acks = new AcknowledgementTracker(ackLimit, timer, metrics);
        this.client = new MesosClient(config, new Dispatcher(), detector);
        this.subscriptions = metrics.counter(SUBSCRIPTIONS_COUNTER);
        this.disconnections = metrics.counter(DISCONNECTIONS_COUNTER);
        metrics.gauge(STATE_GAUGE, () -> (Gauge<String>) () -> client.state().name());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    public void start() {
        client.start();
    }

    /** Closes the subscription without TEARDOWN: the framework and its tasks survive for failover_timeout. */
    public void stop() {
        client.stop();
        shutdownThreads();
    }

    /**
     * As {@link #stop()}, returning once nothing is sent or delivered any more; the stage completes when the HTTP
     * clients have wound down.
     */
    public CompletableFuture<Void> stopAsync() {
        CompletableFuture<Void> closed = client.stopAsync();
        shutdownThreads();
        return closed;
    }

    /** TEARDOWN: the master kills every task of the framework and forgets it. Only for a deliberate operator action. */
    public CompletableFuture<Void> teardown() {
        return client.teardown().whenComplete((ok, error) -> shutdownThreads());
    }

    /** Stops at once, callable from a callback; never tears down. */
    public void abort() {
        client.abort();
        shutdownThreads();
    }

    /**
     * Blocks until the driver has stopped (by stop/abort/teardown, a failover to another instance, or a refusal) and,
     * unless called from a callback, until the callbacks queued before that have run (so the final
     * {@link Scheduler#error} has been delivered when this returns).
     */
    public ConnectionState await() throws InterruptedException {
        ConnectionState state = client.await();
        if (!Thread.currentThread().getName().equals(EVENT_THREAD)) {
            events.awaitTermination(30, TimeUnit.SECONDS);
        }
        return state;
    }

    @Override
    public void close() {
        stop();
    }

    public ConnectionState state() {
        return client.state();
    }

    public Optional<FrameworkID> frameworkId() {
        return client.frameworkId();
    }

    /** The underlying client, for calls the driver has no shortcut for. */
    public MesosClient client() {
        return client;
    }

    /** Runs {@code task} on the event thread, after every event already queued: framework messages go here. */
    public void post(Runnable task) {
        events.execute(() -> runCallback("posted task", task));
    }

    private void shutdownThreads() {
        timer.shutdownNow();
        events.shutdown();
    }

    // ---- calls -------------------------------------------------------------------------------------------------

    public CompletableFuture<Void> launchTasks(Collection<OfferID> offerIds, Collection<TaskInfo> tasks, Filters filters) {
        return client.call(SchedulerCalls.launch(offerIds, tasks, filters));
    }

    public CompletableFuture<Void> launchTasks(OfferID offerId, Collection<TaskInfo> tasks) {
        return launchTasks(List.of(offerId), tasks, null);
    }

    public CompletableFuture<Void> acceptOffers(Collection<OfferID> offerIds, Collection<Operation> operations, Filters filters) {
        return client.call(SchedulerCalls.accept(offerIds, operations, filters));
    }

    public CompletableFuture<Void> declineOffer(OfferID offerId, Filters filters) {
        return client.call(SchedulerCalls.decline(List.of(offerId), filters));
    }

    public CompletableFuture<Void> reviveOffers() {
        return client.call(SchedulerCalls.revive(List.of()));
    }

    public CompletableFuture<Void> suppressOffers() {
        return client.call(SchedulerCalls.suppress(List.of()));
    }

    /** @param agentId may be null when unknown */
    public CompletableFuture<Void> killTask(TaskID taskId, AgentID agentId) {
        return client.call(SchedulerCalls.kill(taskId, agentId));
    }

    /**
     * Acknowledges a status update once the framework has recorded it. Updates without uuid are never acknowledged
     * (the master would refuse it); for them this is a no-op that completes at once.
     */
    public CompletableFuture<Void> acknowledgeStatusUpdate(TaskStatus status) {
        if (!status.hasUuid() || status.getUuid().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return client.call(SchedulerCalls.acknowledge(status.getAgentId(), status.getTaskId(), status.getUuid()))
                .thenRun(() -> acks.acknowledged(status.getUuid()));
    }

    /** Explicit reconciliation of the given tasks; an empty collection asks for implicit reconciliation. */
    public CompletableFuture<Void> reconcileTasks(Collection<Call.Reconcile.Task> tasks) {
        return client.call(SchedulerCalls.reconcile(tasks));
    }

    public CompletableFuture<Void> sendFrameworkMessage(ExecutorID executorId, AgentID agentId, byte[] data) {
        return client.call(SchedulerCalls.message(agentId, executorId, data));
    }

    // ---- event dispatch ------------------------------------------------------------------------------------------

    private void runCallback(String what, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // A framework bug in one callback must not stop the delivery of every later event.
            LOG.error("Scheduler callback {} threw", what, e);
        }
    }

    private void enqueue(String what, Runnable callback) {
        try {
            events.execute(() -> runCallback(what, callback));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Driver stopped; dropping {}", what);
        }
    }

    /** Runs on the client's I/O thread: only converts and queues, so the stream is never held up by the framework. */
    private final class Dispatcher implements MesosClientListener {

        @Override
        public void subscribed(Event.Subscribed subscribed) {
            boolean first = !registeredOnce;
            registeredOnce = true;
            subscriptions.inc();
            if (first) {
                enqueue("registered", () -> scheduler.registered(SchedulerDriver.this, subscribed.getFrameworkId(),
                        subscribed.getMasterInfo()));
            } else {
                enqueue("reregistered", () -> scheduler.reregistered(SchedulerDriver.this, subscribed.getMasterInfo()));
            }
        }

        @Override
        public void event(Event event) {
            SchedulerDriver d = SchedulerDriver.this;
            switch (event.getType()) {
                case OFFERS:
                    enqueue("resourceOffers", () -> scheduler.resourceOffers(d, event.getOffers().getOffersList()));
                    break;
                case RESCIND:
                    enqueue("offerRescinded", () -> scheduler.offerRescinded(d, event.getRescind().getOfferId()));
                    break;
                case UPDATE:
                    TaskStatus status = event.getUpdate().getStatus();
                    enqueue("statusUpdate", () -> {
                        if (status.hasUuid() && !status.getUuid().isEmpty()) {
                            acks.delivered(status);
                        }
                        scheduler.statusUpdate(d, status);
                    });
                    break;
                case MESSAGE:
                    Event.Message m = event.getMessage();
                    enqueue("frameworkMessage", () -> scheduler.frameworkMessage(d, m.getExecutorId(), m.getAgentId(),
                            m.getData().toByteArray()));
                    break;
                case FAILURE:
                    Event.Failure f = event.getFailure();
                    if (f.hasExecutorId()) {
                        enqueue("executorLost", () -> scheduler.executorLost(d, f.getExecutorId(), f.getAgentId(),
                                f.hasStatus() ? f.getStatus() : -1));
                    } else {
                        enqueue("agentLost", () -> scheduler.agentLost(d, f.getAgentId()));
                    }
                    break;
                case ERROR:
                    enqueue("error", () -> scheduler.error(d, event.getError().getMessage()));
                    break;
                default:
                    LOG.debug("Ignoring event {}", event.getType());
                    break;
            }
        }

        @Override
        public void disconnected(String reason) {
            disconnections.inc();
            enqueue("disconnected", () -> scheduler.disconnected(SchedulerDriver.this));
        }

        @Override
        public void terminated(ConnectionState state, String message) {
            enqueue("error", () -> scheduler.error(SchedulerDriver.this, message));
            events.shutdown();
            timer.shutdown();
        }
    }

    /** For tests: status updates delivered but not yet acknowledged. */
    int pendingAcknowledgements() {
        return acks.pendingCount();
    }
}
