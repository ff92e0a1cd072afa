package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Mesos v1 scheduler HTTP client: one SUBSCRIBE stream kept alive across failures, calls on separate connections.
 *
 * <p>Its lifecycle is {@link ConnectionState}: DETECTING → SUBSCRIBING → SUBSCRIBED, and on any failure
 * BACKING_OFF → DETECTING again, until the owner stops it or the master takes the framework away. Every connection
 * attempt is a {@link Connection}; callbacks of an attempt that is no longer current are ignored, which is what
 * makes late Jetty callbacks after a reconnect harmless.
 */
public final class MesosClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MesosClient.class);
    static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
    private static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
    private static final int MAX_REDIRECTS_WITHOUT_BACKOFF = 3;
    /**
     * How long to wait before asking again a master that redirected us to itself. A restarted Mesos master does so
     * until the ZooKeeper session of its dead predecessor (registered under the same address) expires, and then
     * leads: it is worth asking again soon, at a fixed pace (ten times a second), not after a growing backoff.
     */
    static final Duration SELF_REDIRECT_RETRY = Duration.ofMillis(100);
    /** The 503 of an elected master still reading its registry (Mesos 1.11, src/master/http.cpp). */
    private static final String RECOVERING = "Master has not finished recovery";
    private static final int MAX_ERROR_BODY = 4096;

    private final MesosClientConfig config;
    private final MesosClientListener listener;
    private final MasterDetector detector;
    private final Backoff backoff;
    private final HttpClient streamHttp;
    private final HttpClient callHttp;
    private final CallLanes lanes;
    private final ScheduledExecutorService timer;
    private final String authorization;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CompletableFuture<Void> resourcesClosed = new CompletableFuture<>();

    /**
     * Held while the listener is told anything. A connection re-checks {@code closed} under it before each event, so a
     * late event of a replaced connection can never reach the listener after the next connection's SUBSCRIBED, nor
     * after {@code disconnected}. Order: deliveryLock before lock, never the other way round.
     */
    private final Object deliveryLock = new Object();
    private final Object lock = new Object();
    private ConnectionState state = ConnectionState.NEW;
    private Connection connection;
    private FrameworkID frameworkId;
    private ScheduledFuture<?> pendingReconnect;
    private int redirectsInRow;
    private int aboutToLeadInRow;
    private boolean startRequested;
    private String terminationReason;

    public MesosClient(MesosClientConfig config, MesosClientListener listener) {
        this(config, listener, MasterDetector.fromSpec(config.masters(), config.scheme()));
    }

    public MesosClient(MesosClientConfig config, MesosClientListener listener, MasterDetector detector) {
        this.config = config;
        this.listener = listener;
        this.detector = detector;
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        this.frameworkId = config.frameworkId().orElse(null);
        this.authorization = config.principal().map(p -> "Basic " + Base64.getEncoder().encodeToString(
                (p + ":" + config.secret().orElseThrow()).getBytes(StandardCharsets.UTF_8))).orElse(null);
        // Two clients so that the long-lived stream never shares a connection pool with the calls.
        this.streamHttp = newHttpClient("mesos-stream");
        this.callHttp = newHttpClient("mesos-call");
        // One connection per lane: Jetty sends a destination's queued calls one by one in the order they were made, so
        // the master (a single actor) sees the ordered lane's calls in that order, e.g. a LAUNCH before the RECONCILE
        // that follows it. Each acknowledgement lane is a destination of its own (a request tag), see CallLanes.
        this.lanes = new CallLanes(config.ackConnections());
        callHttp.setMaxConnectionsPerDestination(1);
        callHttp.setMaxRequestsQueuedPerDestination(config.maxQueuedCallsPerConnection());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesos-client-timer");
            t.setDaemon(true);
            return t;
        });
        detector.onLeaderChange(this::leaderChanged);
    }

    private HttpClient newHttpClient(String name) {
        return newHttpClient(name, config.connectTimeout());
    }

    /** An HTTP client configured for Mesos calls and streams (also the standby warm-up's, see HttpWarmUp). */
    static HttpClient newHttpClient(String name, Duration connectTimeout) {
        HttpClient http = new HttpClient();
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName(name);
        pool.setDaemon(true);
        http.setExecutor(pool);
        // Redirects are followed by the client itself, so that it learns (and logs) who the leader is.
        http.setFollowRedirects(false);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setUserAgentField(null);
        // Mesos sets no cookies. With a real cookie store Jetty rebuilds and parses every request's URI to look
        // cookies up, a visible share of the cost of each of the thousands of ACKNOWLEDGEs per second.
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        return http;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /**
     * Starts subscribing in the background; returns at once. The HTTP clients start on the client's own thread: a new
     * leader's loop goes on loading its state meanwhile (starting them here held it for ~50 ms of every hand-off).
     * The call client starts once SUBSCRIBE is on its way; no call can be sent before SUBSCRIBED anyway.
     */
    public void start() {
        synchronized (lock) {
            if (state != ConnectionState.NEW || startRequested) {
                throw new IllegalStateException("client already started (" + state + ")");
            }
            startRequested = true;
        }
        timer.execute(() -> {
            connect();
            try {
                callHttp.start();
            } catch (Exception e) {
                LOG.warn("Cannot start the HTTP client for calls yet ({}); the first call tries again", e.toString());
            }
        });
    }

    /** Closes the stream and stops, leaving the framework registered (its tasks keep running until failover_timeout). */
    public void stop() {
        stopAsync();
        awaitResourcesClosed();
    }

    /**
     * As {@link #stop()}, without waiting for the HTTP clients and their threads to wind down: when this returns no
     * call or event goes through any more (the subscription is closed, the state terminal); the returned stage
     * completes once the resources are released. A leader handing over stops like this, so the wind-down (tens of
     * milliseconds) happens after its latch node is gone rather than while nobody leads.
     */
    public CompletableFuture<Void> stopAsync() {
        terminate(ConnectionState.STOPPED, "stopped by the scheduler", false);
        return resourcesClosed.copy();
    }

    /** Sends TEARDOWN (the master kills every task and forgets the framework), then stops. */
    public CompletableFuture<Void> teardown() {
        LOG.warn("Tearing down framework {}", frameworkId == null ? "(none)" : frameworkId.getValue());
        return call(SchedulerCalls.teardown()).whenComplete((ok, error) ->
                terminate(ConnectionState.STOPPED, "framework torn down", false));
    }

    /** Stops at once from any thread, including a callback; like {@link #stop()} it never tears down. */
    public void abort() {
        terminate(ConnectionState.STOPPED, "aborted", false);
    }

    /** Blocks until the client is in a terminal state and returns that state. */
    public ConnectionState await() throws InterruptedException {
        terminated.await();
        return state();
    }

    /** Like {@link #await()} with a limit; empty if still running when it expires. */
    public Optional<ConnectionState> await(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(state()) : Optional.empty();
    }

    @Override
    public void close() {
        stop();
    }

    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The framework id of the last SUBSCRIBED (or the configured one before that). */
    public Optional<FrameworkID> frameworkId() {
        synchronized (lock) {
            return Optional.ofNullable(frameworkId);
        }
    }

    /** The Mesos-Stream-Id of the current subscription, if subscribed. */
    public Optional<String> streamId() {
        synchronized (lock) {
            return state == ConnectionState.SUBSCRIBED ? Optional.ofNullable(connection.streamId) : Optional.empty();
        }
    }

    /** The master the current subscription is on, if subscribed. */
    public Optional<URI> master() {
        synchronized (lock) {
            return state == ConnectionState.SUBSCRIBED ? Optional.of(connection.master) : Optional.empty();
        }
    }

    /** Why the client stopped, once terminal. */
    public Optional<String> terminationReason() {
        synchronized (lock) {
            return Optional.ofNullable(terminationReason);
        }
    }

    // ---- calls -------------------------------------------------------------------------------------------------

    /**
     * Sends a call on the current subscription (framework_id and Mesos-Stream-Id are filled in). The future
     * completes on 202/200, or fails with {@link MesosCallException}. A 403, or a 400 about the stream id, means the
     * master no longer considers this stream the framework's, and a 307/503 that it is no longer the leader: the client
     * then re-subscribes. Calls are not retried: the caller decides (many are harmless to lose, e.g. DECLINE).
     * Calls reach the master in the order this method was called (they share one connection), except ACKNOWLEDGEs,
     * which travel on {@link MesosClientConfig#ackConnections()} extra connections: an acknowledgement may overtake
     * calls about other tasks, never one about its own task. A call that cannot be queued (more than
     * {@link MesosClientConfig#maxQueuedCallsPerConnection()} waiting) fails its future. The future completes
     * on a client I/O thread: do not block in its continuations.
     */
    public CompletableFuture<Void> call(Call.Builder builder) {
        Connection current;
        FrameworkID id;
        synchronized (lock) {
            if (state != ConnectionState.SUBSCRIBED) {
                return CompletableFuture.failedFuture(new MesosCallException(0,
                        builder.getType() + " not sent: not subscribed (" + state + ")", null));
            }
            current = connection;
            id = frameworkId;
            if (!callHttp.isStarted()) {
                // Under the lock, so that a stop (which changes the state under it first) can never be followed by
                // this start: the closer would have stopped the client already and it would run on, leaked.
                try {
                    callHttp.start(); // the client's thread is starting it: this waits for that, or starts it
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(new MesosCallException(0,
                            builder.getType() + " not sent: cannot start the HTTP client (" + e + ")", e));
                }
            }
        }
        Call call = builder.setFrameworkId(id).build();
        Call.Type type = call.getType();
        CompletableFuture<Void> result = new CompletableFuture<>();
        URI endpoint = MasterUris.endpoint(current.master);
        int lane = lanes.laneOf(call);
        PipelinedConnection pipe = lane == CallLanes.ORDERED ? null : current.pipe(lane);
        if (pipe != null) {
            pipe.send(PipelinedConnection.post(endpoint, config.encoding().contentType(), current.streamId,
                            authorization, config.encoding().encodeCall(call)))
                    .whenComplete((answer, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(new MesosCallException(0, type + " failed: " + failure, failure));
                        } else {
                            answered(current, type, answer.status(), answer.body(), result);
                        }
                    });
            return result;
        }
        Request request = callHttp.newRequest(endpoint)
                .method(HttpMethod.POST)
                .timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    // Given here, Host spares Jetty building (and parsing) the request's URI again to derive it.
                    h.put(HttpHeader.HOST, endpoint.getRawAuthority());
                    h.put(HttpHeader.CONTENT_TYPE, config.encoding().contentType());
                    h.put(HttpHeader.ACCEPT, config.encoding().contentType());
                    h.put(STREAM_ID_HEADER, current.streamId);
                    if (authorization != null) {
                        h.put(HttpHeader.AUTHORIZATION, authorization);
                    }
                })
                .body(new BytesRequestContent(config.encoding().encodeCall(call)));
        if (lane != CallLanes.ORDERED) {
            // Jetty keys a destination by scheme, host, port and tag (compared with equals): one tag per lane.
            request.tag("ack-lane-" + lane);
        }
        request.send(new BufferingResponseListener(MAX_ERROR_BODY) {
            @Override
            public void onComplete(Result r) {
                if (r.isFailed() && (r.getResponse() == null || r.getResponse().getStatus() == 0)) {
                    result.completeExceptionally(new MesosCallException(0, type + " failed: " + r.getFailure(), r.getFailure()));
                    return;
                }
                int status = r.getResponse().getStatus();
                answered(current, type, status, status == 202 || status == 200 ? "" : getContentAsString(StandardCharsets.UTF_8),
                        result);
            }
        });
        return result;
    }

    private void answered(Connection current, Call.Type type, int status, String body, CompletableFuture<Void> result) {
        if (status == 202 || status == 200) {
            result.complete(null);
            return;
        }
        result.completeExceptionally(new MesosCallException(status, type + " refused with " + status + ": " + body, null));
        if (status == 403 || (status == 400 && body != null && body.contains("didn't match"))) {
            connectionLost(current, type + " answered " + status + " (" + body + "): the subscription is gone");
        } else if (status == 307 || status == 503) {
            // The master we are subscribed to is no longer the leader; its stream will not last.
            connectionLost(current, type + " answered " + status + ": " + current.master + " is not leading");
        }
    }

    // ---- the state machine ---------------------------------------------------------------------------------------

    private boolean moveTo(ConnectionState next) {
        if (!state.canMoveTo(next)) {
            LOG.debug("Ignoring transition {} -> {}", state, next);
            return false;
        }
        LOG.debug("Connection state {} -> {}", state, next);
        state = next;
        return true;
    }

    /** On the timer thread only: the closer waits for it to end before it stops the HTTP clients. */
    private void connect() {
        Exception notStarted = null;
        try {
            streamHttp.start(); // the first time; a no-op once started
        } catch (Exception e) {
            notStarted = e;
        }
        synchronized (lock) {
            pendingReconnect = null;
            if (!moveTo(ConnectionState.DETECTING)) {
                return;
            }
            Optional<URI> master = detector.current();
            if (master.isEmpty()) {
                backOff("no leading master known");
                return;
            }
            if (notStarted != null) {
                backOff("cannot start the HTTP client: " + notStarted);
                return;
            }
            moveTo(ConnectionState.SUBSCRIBING);
            connection = new Connection(master.get());
            connection.open(subscribeCall());
        }
    }

    private Call subscribeCall() {
        FrameworkInfo.Builder info = config.frameworkInfo().toBuilder();
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
        if (frameworkId != null) {
            // Both must be set and equal to fail over an existing framework.
            info.setId(frameworkId);
            call.setFrameworkId(frameworkId);
        } else {
            info.clearId();
        }
        if (config.principal().isPresent() && !info.hasPrincipal()) {
            // The master refuses a SUBSCRIBE whose FrameworkInfo.principal differs from the authenticated one.
            info.setPrincipal(config.principal().get());
        }
        return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
    }

    /** Under the lock: the current attempt has failed; wait, then detect again. */
    private void backOff(String reason) {
        if (!moveTo(ConnectionState.BACKING_OFF)) {
            return;
        }
        Duration delay = backoff.nextDelay();
        LOG.warn("Not subscribed ({}); retrying in {} ms (attempt {})", reason, delay.toMillis(), backoff.failures());
        pendingReconnect = timer.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connectionLost(Connection lost, String reason) {
        synchronized (deliveryLock) {
            boolean wasSubscribed;
            synchronized (lock) {
                if (lost != connection || state.isTerminal() || lost.closed) {
                    return;
                }
                wasSubscribed = state == ConnectionState.SUBSCRIBED;
                lost.close(reason);
                backOff(reason);
            }
            if (wasSubscribed) {
                listener.disconnected(reason);
            }
        }
    }

    private void redirected(Connection from, URI leader) {
        synchronized (lock) {
            if (from != connection || state.isTerminal() || from.closed) {
                return;
            }
            from.close("redirected");
            detector.redirectedTo(leader);
            if (leader.equals(from.master)) {
                // Not masters pointing at each other: this one is about to lead (see SELF_REDIRECT_RETRY).
                askAgainSoon(from, "redirected us to itself");
                return;
            }
            if (detector.current().equals(Optional.of(from.master))) {
                // ZooKeeper already names this master the leader; its own view of the election has not caught up
                // yet (it still points at its dead predecessor). Counted as masters pointing at each other, this
                // sent a local master fail-over into a 10 s backoff a few milliseconds before the master led.
                askAgainSoon(from, "redirected us to " + leader + " although ZooKeeper names it the leader");
                return;
            }
            aboutToLeadInRow = 0;
            LOG.info("Master {} redirected us to the leader {}", from.master, leader);
            if (++redirectsInRow > MAX_REDIRECTS_WITHOUT_BACKOFF) {
                // Masters pointing at each other while an election settles: do not spin.
                backOff("redirected " + redirectsInRow + " times in a row");
                return;
            }
            moveTo(ConnectionState.BACKING_OFF);
            pendingReconnect = timer.schedule(this::connect, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** A master that is about to lead answered: ask it again at the fixed pace, whatever the backoff has reached. */
    private void aboutToLead(Connection from, String why) {
        synchronized (lock) {
            if (from != connection || state.isTerminal() || from.closed) {
                return;
            }
            from.close("about to lead");
            askAgainSoon(from, why);
        }
    }

    /** Under the lock. */
    private void askAgainSoon(Connection from, String why) {
        if (++aboutToLeadInRow == 1) {
            LOG.info("Master {} {}: it is about to lead; asking again every {} ms", from.master, why,
                    SELF_REDIRECT_RETRY.toMillis());
        }
        moveTo(ConnectionState.BACKING_OFF);
        pendingReconnect = timer.schedule(this::connect, SELF_REDIRECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void leaderChanged() {
        synchronized (lock) {
            if (state == ConnectionState.BACKING_OFF && pendingReconnect != null) {
                // A new leader is a new start: the backoff grown against the dead one must not delay the next try.
                backoff.reset();
                redirectsInRow = 0;
                pendingReconnect.cancel(false);
                pendingReconnect = timer.schedule(this::connect, 0, TimeUnit.MILLISECONDS);
                return;
            }
        }
        Connection current;
        synchronized (lock) {
            current = connection;
        }
        if (current != null && !detector.current().equals(Optional.of(current.master))) {
            connectionLost(current, "leading master changed to " + detector.current().map(URI::toString).orElse("none"));
        }
    }

    private void subscribed(Connection from, Event.Subscribed subscribed) {
        synchronized (lock) {
            if (from != connection || from.closed || !moveTo(ConnectionState.SUBSCRIBED)) {
                return;
            }
            if (frameworkId != null && !frameworkId.equals(subscribed.getFrameworkId())) {
                LOG.warn("Master assigned framework id {} instead of {}", subscribed.getFrameworkId().getValue(),
                        frameworkId.getValue());
            }
            frameworkId = subscribed.getFrameworkId();
            backoff.reset();
            redirectsInRow = 0;
            if (aboutToLeadInRow > 0) {
                LOG.info("Master {} leads after {} answers saying it was about to", from.master, aboutToLeadInRow);
                aboutToLeadInRow = 0;
            }
            if (config.heartbeatIntervalOverride().isEmpty() && subscribed.hasHeartbeatIntervalSeconds()) {
                from.watchdogTimeoutNanos = (long) (subscribed.getHeartbeatIntervalSeconds() * 1e9)
                        * config.heartbeatTimeoutFactor();
            }
            LOG.info("Subscribed to {} as framework {} (stream {})", from.master, frameworkId.getValue(), from.streamId);
        }
        listener.subscribed(subscribed);
    }

    private void terminate(ConnectionState target, String reason, boolean notify) {
        synchronized (deliveryLock) {
            synchronized (lock) {
                if (state.isTerminal()) {
                    return;
                }
                state = target;
                terminationReason = reason;
                if (pendingReconnect != null) {
                    pendingReconnect.cancel(false);
                }
                if (connection != null) {
                    connection.close(reason);
                }
            }
            if (target == ConnectionState.STOPPED) {
                LOG.info("Mesos client stopped: {}", reason);
            } else if (target == ConnectionState.FAILED_OVER) {
                // What a deposed (or paused) leader sees once its successor subscribes: expected, not an error.
                LOG.warn("Mesos client terminated ({}): {} (another scheduler instance subscribed with this "
                        + "framework id: a newer leader took over)", target, reason);
            } else {
                LOG.error("Mesos client terminated ({}): {}", target, reason);
            }
            // The owner hears why before await() returns, so whoever waits can rely on the callback having run.
            if (notify) {
                listener.terminated(target, reason);
            }
        }
        closeResourcesAsync();
        terminated.countDown();
    }

    private void closeResourcesAsync() {
        // Jetty cannot be stopped from one of its own threads, and terminate() may run on one.
        Thread closer = new Thread(() -> {
            try {
                timer.shutdownNow();
                // A start in progress on the timer finishes first: stopping the clients then leaves none running.
                timer.awaitTermination(10, TimeUnit.SECONDS);
                detector.close();
                streamHttp.stop();
                callHttp.stop();
            } catch (Exception e) {
                LOG.warn("Error while closing the Mesos client", e);
            } finally {
                resourcesClosed.complete(null);
            }
        }, "mesos-client-closer");
        closer.setDaemon(true);
        closer.start();
    }

    private void awaitResourcesClosed() {
        String thread = Thread.currentThread().getName();
        if (thread.startsWith("mesos-")) {
            return;
        }
        try {
            resourcesClosed.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("Mesos client resources not closed in time", e);
        }
    }

    // ---- one connection attempt -----------------------------------------------------------------------------------

    /** One SUBSCRIBE request and, if it succeeds, its event stream. */
    private final class Connection implements Response.Listener {
        final URI master;
        final RecordIoDecoder decoder = new RecordIoDecoder(config.maxRecordSize());
        volatile String streamId;
        volatile boolean closed;
        volatile long lastEventNanos = System.nanoTime();
        volatile long watchdogTimeoutNanos;
        private volatile Request request;
        private ScheduledFuture<?> watchdog;
        private int status;
        private final StringBuilder errorBody = new StringBuilder();
        private boolean sawFirstEvent;
        /** Acknowledgement lanes, opened on first use, closed with the subscription; null slots for an https master. */
        private final PipelinedConnection[] pipes = new PipelinedConnection[lanes.count()];

        Connection(URI master) {
            this.master = master;
            Duration interval = config.heartbeatIntervalOverride().orElse(DEFAULT_HEARTBEAT_INTERVAL);
            this.watchdogTimeoutNanos = interval.toNanos() * config.heartbeatTimeoutFactor();
        }

        void open(Call subscribe) {
            LOG.info("Subscribing to {} ({}, framework id {})", master, config.encoding(),
                    subscribe.hasFrameworkId() ? subscribe.getFrameworkId().getValue() : "new");
            long checkEveryMillis = Math.max(20, Math.min(500, watchdogTimeoutNanos / 10 / 1_000_000));
            watchdog = timer.scheduleWithFixedDelay(this::checkHeartbeat, checkEveryMillis, checkEveryMillis,
                    TimeUnit.MILLISECONDS);
            request = streamHttp.newRequest(MasterUris.endpoint(master))
                    .method(HttpMethod.POST)
                    // The watchdog decides when a silent stream is dead; Jetty's idle timeout is only a backstop.
                    .idleTimeout(Math.max(1, 2 * watchdogTimeoutNanos / 1_000_000), TimeUnit.MILLISECONDS)
                    .headers(h -> {
                        h.put(HttpHeader.CONTENT_TYPE, config.encoding().contentType());
                        h.put(HttpHeader.ACCEPT, config.encoding().contentType());
                        if (authorization != null) {
                            h.put(HttpHeader.AUTHORIZATION, authorization);
                        }
                    })
                    .body(new BytesRequestContent(config.encoding().encodeCall(subscribe)));
            request.send(this);
        }

        /**
         * The pipelined connection of an acknowledgement lane, or null to use the Jetty client: for an https master,
         * and for a subscription closed since the call read it (the call then goes out as it did before pipes, and
         * the master refuses or drops it). Pipes belong to one subscription: a new one (another master, another
         * stream id) opens its own.
         */
        PipelinedConnection pipe(int lane) {
            if (!"http".equalsIgnoreCase(master.getScheme())) {
                return null;
            }
            synchronized (pipes) {
                if (closed) {
                    return null;
                }
                if (pipes[lane] == null) {
                    int port = master.getPort() < 0 ? 80 : master.getPort();
                    pipes[lane] = new PipelinedConnection("mesos-ack-" + lane,
                            new InetSocketAddress(master.getHost(), port), config.connectTimeout(),
                            config.requestTimeout(), config.maxQueuedCallsPerConnection(), MAX_ERROR_BODY);
                }
                return pipes[lane];
            }
        }

        /** Under the client lock. */
        void close(String reason) {
            if (closed) {
                return;
            }
            synchronized (pipes) {
                closed = true;
                for (PipelinedConnection pipe : pipes) {
                    if (pipe != null) {
                        pipe.close();
                    }
                }
            }
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            Request r = request;
            if (r != null) {
                r.abort(new StreamClosedException(reason));
            }
        }

        private void checkHeartbeat() {
            long silentNanos = System.nanoTime() - lastEventNanos;
            if (!closed && silentNanos > watchdogTimeoutNanos) {
                connectionLost(this, "no event for " + silentNanos / 1_000_000 + " ms (limit "
                        + watchdogTimeoutNanos / 1_000_000 + " ms)");
            }
        }

        @Override
        public void onHeaders(Response response) {
            status = response.getStatus();
            if (status == 200) {
                streamId = response.getHeaders().get(STREAM_ID_HEADER);
                String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
                if (streamId == null) {
                    response.abort(new IllegalStateException("SUBSCRIBE answered 200 without " + STREAM_ID_HEADER));
                } else if (type != null && !type.startsWith(config.encoding().contentType())) {
                    response.abort(new IllegalStateException("stream content type " + type + ", asked for "
                            + config.encoding().contentType()));
                }
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (closed) {
                return;
            }
            if (status != 200) {
                int room = MAX_ERROR_BODY - errorBody.length();
                if (room > 0) {
                    byte[] bytes = new byte[Math.min(room, content.remaining())];
                    content.get(bytes);
                    errorBody.append(new String(bytes, StandardCharsets.UTF_8));
                }
                return;
            }
            List<byte[]> records;
            try {
                records = decoder.decode(content);
            } catch (RecordIoException e) {
                LOG.error("Malformed RecordIO from {}: {}; dropping the connection", master, e.getMessage());
                connectionLost(this, "malformed stream: " + e.getMessage());
                return;
            }
            for (byte[] record : records) {
                Event event;
                try {
                    event = config.encoding().decodeEvent(record);
                } catch (UndecodableEventException e) {
                    LOG.error("Undecodable event from {} ({} bytes): {}; dropping the connection", master,
                            record.length, e.getMessage());
                    connectionLost(this, "undecodable event: " + e.getMessage());
                    return;
                }
                synchronized (deliveryLock) {
                    if (closed) {
                        return;
                    }
                    lastEventNanos = System.nanoTime();
                    handle(event);
                }
            }
        }

        private void handle(Event event) {
            boolean first = !sawFirstEvent;
            sawFirstEvent = true;
            switch (event.getType()) {
                case SUBSCRIBED:
                    subscribed(this, event.getSubscribed());
                    break;
                case HEARTBEAT:
                    break;
                case ERROR:
                    handleError(event, first);
                    break;
                default:
                    listener.event(event);
                    break;
            }
        }

        private void handleError(Event event, boolean first) {
            String message = event.getError().getMessage();
            if (message.contains("Framework failed over")) {
                terminate(ConnectionState.FAILED_OVER, message, true);
            } else if (message.contains("Framework has been removed")) {
                terminate(ConnectionState.FRAMEWORK_REMOVED, message, true);
            } else if (first) {
                // A refused SUBSCRIBE: the same FrameworkInfo would be refused again.
                terminate(ConnectionState.REFUSED, message, true);
            } else {
                listener.event(event);
                connectionLost(this, "ERROR event: " + message);
            }
        }

        @Override
        public void onComplete(Result result) {
            if (closed) {
                return;
            }
            if (status == 200) {
                String reason = result.isFailed() ? "stream failed: " + result.getFailure() : "stream closed by the master";
                connectionLost(this, reason);
                return;
            }
            if (status == 0) {
                detector.failed(master);
                connectionLost(this, "cannot reach " + master + ": " + result.getFailure());
                return;
            }
            if (status == 307) {
                String location = result.getResponse().getHeaders().get(HttpHeader.LOCATION);
                URI leader;
                try {
                    leader = MasterUris.redirectBase(MasterUris.endpoint(master), location);
                } catch (IllegalArgumentException e) {
                    detector.failed(master);
                    connectionLost(this, "bad redirect from " + master + ": " + e.getMessage());
                    return;
                }
                redirected(this, leader);
                return;
            }
            if (status == 503 && errorBody.toString().contains(RECOVERING)) {
                // elected, reading its registry: it leads in a moment, like a master that redirects to itself
                aboutToLead(this, "is recovering (" + errorBody.toString().trim() + ")");
                return;
            }
            if (status == 503) {
                detector.failed(master);
            }
            connectionLost(this, "SUBSCRIBE answered " + status + ": " + errorBody.toString().trim());
        }
    }

    /** Why a stream was aborted on purpose. */
    private static final class StreamClosedException extends RuntimeException {
        StreamClosedException(String reason) {
            super(reason, null, false, false);
        }
    }
}
