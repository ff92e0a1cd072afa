package io.beehive.scheduler.mesos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that speaks just enough of the v1 scheduler API for the client's own transport
 * tests: it lets a test script exactly what the stream carries (including bytes no sane master sends), and answer
 * SUBSCRIBE with 307 or 503. Behaviour against a full master is tested on the local cluster.
 */
public final class ScriptedMaster implements AutoCloseable {

    /** RECOVERING: what an elected Mesos master answers while it reads its registry (503). */
    public enum Mode { LEADER, REDIRECT, UNAVAILABLE, RECOVERING }

    private final HttpServer server;
    private final Encoding encoding;
    public final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Every call with the client port it came from (which connection carried it), in arrival order. */
    final List<Received> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final List<String> callContentTypes = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final AtomicInteger subscribes = new AtomicInteger();
    /** Requests answered 307 (REDIRECT) or 503 (RECOVERING). */
    final AtomicInteger redirects = new AtomicInteger();
    private volatile Mode mode = Mode.LEADER;
    private volatile URI redirectTo;
    private volatile Stream stream;
    private volatile boolean autoHeartbeat = true;
    private volatile int callStatus = 202;
    private volatile String firstEventError;

    record Received(Call call, int clientPort) {}

    /** The open subscription stream. */
    public final class Stream {
        final String id = UUID.randomUUID().toString();
        final Call subscribe;
        private final OutputStream out;
        private final CountDownLatch closed = new CountDownLatch(1);

        Stream(Call subscribe, OutputStream out) {
            this.subscribe = subscribe;
            this.out = out;
        }

        public synchronized void send(Event event) {
            byte[] payload = encoding.encode(event);
            raw((payload.length + "\n").getBytes(StandardCharsets.US_ASCII));
            raw(payload);
        }

        public synchronized void raw(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        public void close() {
            closed.countDown();
        }
    }

    public ScriptedMaster(Encoding encoding) throws IOException {
        this.encoding = encoding;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-master");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v1/scheduler", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void mode(Mode m, URI target) {
        this.mode = m;
        this.redirectTo = target;
    }

    public void autoHeartbeat(boolean on) { this.autoHeartbeat = on; }
    void callStatus(int status) { this.callStatus = status; }
    /** The next SUBSCRIBE gets this ERROR as its first event (then the stream closes). */
    void refuseNextSubscribe(String message) { this.firstEventError = message; }

    public Stream stream() {
        return stream;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            if (mode == Mode.RECOVERING) {
                redirects.incrementAndGet();
                reply(ex, 503, "Master has not finished recovery");
                return;
            }
            if (mode == Mode.UNAVAILABLE) {
                reply(ex, 503, "No leader elected");
                return;
            }
            if (mode == Mode.REDIRECT) {
                redirects.incrementAndGet();
                ex.getResponseHeaders().add("Location", "//" + redirectTo.getHost() + ":" + redirectTo.getPort()
                        + "/master/api/v1/scheduler");
                reply(ex, 307, "");
                return;
            }
            if (!encoding.contentType().equals(contentType)) {
                reply(ex, 415, "bad content type " + contentType);
                return;
            }
            Call call = encoding == Encoding.JSON
                    ? Encoding.Json.parse(new String(body, StandardCharsets.UTF_8), Call.newBuilder()).build()
                    : Call.parseFrom(body);
            if (call.getType() == Call.Type.SUBSCRIBE) {
                subscribe(ex, call);
                return;
            }
            synchronized (received) {
                calls.add(call);
                received.add(new Received(call, ex.getRemoteAddress().getPort()));
            }
            callContentTypes.add(contentType);
            Stream s = stream;
            if (s == null || !s.id.equals(ex.getRequestHeaders().getFirst("Mesos-Stream-Id"))) {
                reply(ex, 400, "The stream ID '" + ex.getRequestHeaders().getFirst("Mesos-Stream-Id") + "' didn't match");
                return;
            }
            reply(ex, callStatus, callStatus == 403 ? "Framework is not subscribed" : "");
        }
    }

    private void subscribe(HttpExchange ex, Call call) throws IOException {
        subscribes.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", encoding.contentType());
        Stream s = new Stream(call, ex.getResponseBody());
        ex.getResponseHeaders().add("Mesos-Stream-Id", s.id);
        ex.sendResponseHeaders(200, 0);
        Stream old = stream;
        stream = s;
        if (old != null) {
            old.close();
        }
        String refusal = firstEventError;
        if (refusal != null) {
            firstEventError = null;
            s.send(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage(refusal)).build());
            return;
        }
        FrameworkID id = call.getSubscribe().getFrameworkInfo().hasId()
                ? call.getSubscribe().getFrameworkInfo().getId()
                : FrameworkID.newBuilder().setValue("fw-" + subscribes.get()).build();
        s.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(id).setHeartbeatIntervalSeconds(15)
                .setMasterInfo(MasterInfo.newBuilder().setId("m").setIp(0).setPort(server.getAddress().getPort())))
                .build());
        if (autoHeartbeat) {
            s.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
        }
        try {
            // Hold the exchange open: the stream lives until the test or a newer subscription closes it.
            s.closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        Stream s = stream;
        if (s != null) {
            s.close();
        }
        server.stop(0);
    }
}
