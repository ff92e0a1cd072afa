package io.beehive.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.beehive.local.json.StoutJson;
import io.beehive.local.master.Master;
import io.beehive.local.master.MetricsSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's HTTP surface: the v1 scheduler endpoint (checks in the order of spec §1.3), the SUBSCRIBE
 * stream, and the read-only endpoints tools use ({@code /state}, {@code /slaves}, {@code /redirect},
 * {@code /health}, {@code /version}).
 */
final class MasterHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(MasterHandler.class);
    private static final String JSON = "application/json";
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String VERSION =
        "{\"build_date\":\"2026-11-22 02:17:50\",\"build_time\":1795313870.0,\"build_user\":\"\",\"version\":\"1.11.0\"}";

    /** Mesos' {@code TASK_LIMIT}: the default page of {@code /master/tasks}. */
    private static final int TASK_LIMIT = 100;

    private final MasterDirectory directory;
    private final long startMillis = System.currentTimeMillis();

    MasterHandler(MasterDirectory directory) {
        this.directory = directory;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        try {
            route(path, request, response, callback);
        } catch (RuntimeException e) {
            // never a stack trace page: the master is closing or its loop did not answer
            LOG.warn("cannot answer {} {}: {}", request.getMethod(), path, e.toString());
            if (!response.isCommitted()) {
                text(response, callback, 503, "Master is not available: " + e.getMessage());
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private void route(String path, Request request, Response response, Callback callback) throws Exception {
        switch (path) {
            case "/api/v1/scheduler", "/master/api/v1/scheduler" -> scheduler(request, response, callback);
            case "/state", "/master/state", "/state.json", "/master/state.json" -> state(response, callback, false);
            case "/slaves", "/master/slaves" -> state(response, callback, true);
            case "/frameworks", "/master/frameworks" -> {
                String frameworkId = query(request, "framework_id");
                readOnly(response, callback, "/master/frameworks", m -> m.stateView().frameworks(frameworkId));
            }
            case "/tasks", "/master/tasks" -> tasks(request, response, callback);
            case "/teardown", "/master/teardown" -> teardown(request, response, callback);
            case "/metrics/snapshot" -> metrics(response, callback);
            case "/redirect", "/master/redirect" -> redirect(response, callback);
            case "/health", "/master/health" -> empty(response, callback, 200);
            case "/version" -> json(response, callback, VERSION);
            default -> {
                InternalEndpoint internal = directory.agentProtocol();
                if (internal != null && path.startsWith("/internal/")) {
                    internal(internal, path, request, response, callback);
                } else {
                    text(response, callback, 404, "");
                }
            }
        }
    }

    private void internal(InternalEndpoint endpoint, String path, Request request, Response response,
                          Callback callback) throws IOException {
        if (refusedUnlessPost(request, response, callback)) {
            return;
        }
        InternalEndpoint.Reply reply = endpoint.handle(path, readBody(request));
        text(response, callback, reply.status(), reply.body());
    }

    private void scheduler(Request request, Response response, Callback callback) throws Exception {
        Master master = directory.leading();
        if (master == null) {
            String leader = directory.leaderAddress();
            if (leader == null) {
                text(response, callback, 503, "No leader elected");
            } else {
                response.setStatus(307);
                response.getHeaders().put(HttpHeader.LOCATION, "//" + leader + "/master/api/v1/scheduler");
                empty(response, callback, 307);
            }
            return;
        }
        if (refusedUnlessPost(request, response, callback)) {
            return;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        byte[] body = readBody(request);
        if (contentType == null) {
            text(response, callback, 400, "Expecting 'Content-Type' to be present");
            return;
        }
        Call call;
        if (contentType.equals(JSON)) {
            JsonNode tree;
            try {
                tree = StoutJson.parseTree(body);
            } catch (StoutJson.ParseException e) {
                text(response, callback, 400, "Failed to parse body into JSON: " + e.getMessage());
                return;
            }
            try {
                call = StoutJson.merge(tree, Call.newBuilder()).build();
            } catch (StoutJson.ParseException e) {
                text(response, callback, 400, "Failed to convert JSON into Call protobuf: " + e.getMessage());
                return;
            }
        } else if (contentType.equals(PROTOBUF)) {
            try {
                call = Call.parseFrom(body);
            } catch (InvalidProtocolBufferException e) {
                text(response, callback, 400, "Failed to parse body into Call protobuf");
                return;
            }
        } else {
            text(response, callback, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
            return;
        }
        String invalid = CallValidator.validate(call);
        if (invalid != null) {
            text(response, callback, 400, "Failed to validate scheduler::Call: " + invalid);
            return;
        }
        String streamHeader = request.getHeaders().get("Mesos-Stream-Id");
        if (call.getType() == Call.Type.SUBSCRIBE) {
            Boolean json = AcceptHeader.prefersJson(request.getHeaders().get(HttpHeader.ACCEPT));
            if (json == null) {
                text(response, callback, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
                return;
            }
            if (streamHeader != null) {
                text(response, callback, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
                return;
            }
            subscribe(call, json, request, response, callback);
            return;
        }
        if (call.getType() == Call.Type.UNKNOWN) {
            text(response, callback, 501, "");
            return;
        }
        // The loop answers the call itself: no HTTP thread parks waiting for it, and under a stream of
        // ACKNOWLEDGEs (two per task) the hand-over back to a parked thread was a large share of each call's cost.
        // Jetty reads the connection's next request only once this exchange is complete, so calls on one connection
        // are still processed in the order they were sent.
        boolean posted = directory.loop().tryPost(() -> {
            Master.Answer answer;
            try {
                Master current = directory.leading();
                answer = current == null ? new Master.Answer(503, "No leader elected") : current.call(call, streamHeader);
            } catch (RuntimeException e) {
                LOG.warn("cannot answer {} call: {}", call.getType(), e.toString());
                answer = new Master.Answer(503, "Master is not available: " + e.getMessage());
            }
            answer(response, callback, answer);
        });
        if (!posted) {
            text(response, callback, 503, "Master is not available: the local cluster is closed");
        }
    }

    private static void answer(Response response, Callback callback, Master.Answer answer) {
        if (answer.status() == 202 || answer.status() == 200) {
            empty(response, callback, answer.status());
        } else {
            text(response, callback, answer.status(), answer.body());
        }
    }

    private void subscribe(Call call, boolean json, Request request, Response response, Callback callback) {
        SubscriptionStream stream = new SubscriptionStream(json);
        boolean accepted = directory.loop().call(() -> {
            Master current = directory.leading();
            if (current == null) {
                return false;
            }
            current.subscribe(call, stream);
            return true;
        });
        if (!accepted) {
            text(response, callback, 503, "No leader elected");
            return;
        }
        response.setStatus(200);
        response.getHeaders().put("Mesos-Stream-Id", stream.streamId());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, json ? JSON : PROTOBUF);
        // chunked even when the request says "Connection: close" (Python's urllib always does), as libprocess
        // answers: without this hint Jetty would send an HTTP/1.1 response that ends at EOF instead
        response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        SocketChannel channel = endPoint instanceof SocketChannelEndPoint socket ? socket.getChannel() : null;
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            // the head goes out first, alone: the records are then written as chunks around Jetty's encoder
            out.flush();
            boolean chunked = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1;
            stream.pump(chunked ? RecordSink.chunksOn(endPoint) : RecordSink.streamOf(out), channel);
        } catch (IOException e) {
            LOG.info("stream {} could not start: {}", stream.streamId(), e.toString());
            stream.markClosed();
        } finally {
            try {
                out.close();
                callback.succeeded();
            } catch (Exception e) {
                callback.failed(e);
            }
        }
    }

    private void state(Response response, Callback callback, boolean slavesOnly) {
        String body = directory.loop().call(() -> {
            Master master = directory.leading();
            if (master == null) {
                return null;
            }
            String pid = master.info().getPid();
            return slavesOnly ? master.stateView().slaves() : master.stateView().state(pid);
        });
        if (body == null) {
            String leader = directory.loop().call(directory::leaderAddress);
            if (leader == null) {
                text(response, callback, 503, "No leader elected");
            } else {
                response.getHeaders().put(HttpHeader.LOCATION, "//" + leader + "/master/state");
                empty(response, callback, 307);
            }
            return;
        }
        json(response, callback, body);
    }

    /** A read-only document of the leading master; a standby redirects to the leader, as {@code /state} does. */
    private void readOnly(Response response, Callback callback, String path, Function<Master, String> view) {
        String body = directory.loop().call(() -> {
            Master master = directory.leading();
            return master == null ? null : view.apply(master);
        });
        if (body == null) {
            String leader = directory.loop().call(directory::leaderAddress);
            if (leader == null) {
                text(response, callback, 503, "No leader elected");
            } else {
                response.getHeaders().put(HttpHeader.LOCATION, "//" + leader + path);
                empty(response, callback, 307);
            }
            return;
        }
        json(response, callback, body);
    }

    /** {@code limit} (default 100), {@code offset}, {@code order=asc|des}, {@code framework_id}, {@code task_id}. */
    private void tasks(Request request, Response response, Callback callback) {
        int limit = intQuery(request, "limit", TASK_LIMIT);
        int offset = intQuery(request, "offset", 0);
        boolean ascending = "asc".equals(query(request, "order"));
        String frameworkId = query(request, "framework_id");
        String taskId = query(request, "task_id");
        readOnly(response, callback, "/master/tasks",
            m -> m.stateView().tasks(limit, offset, ascending, frameworkId, taskId));
    }

    /** libprocess's 405 for an endpoint that takes only POST; true if it was sent. */
    private static boolean refusedUnlessPost(Request request, Response response, Callback callback) {
        if ("POST".equals(request.getMethod())) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
        text(response, callback, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '"
            + request.getMethod() + "'.");
        return true;
    }

    /** Form body {@code frameworkId=...}; the texts and codes of Mesos' {@code Master::Http::teardown}. */
    private void teardown(Request request, Response response, Callback callback) throws IOException {
        if (directory.loop().call(() -> directory.leading() == null)) {
            readOnly(response, callback, "/master/teardown", m -> null);
            return;
        }
        if (refusedUnlessPost(request, response, callback)) {
            return;
        }
        Map<String, String> form;
        try {
            form = FormBody.decode(new String(readBody(request), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            text(response, callback, 400, "Unable to decode query string: " + e.getMessage());
            return;
        }
        String frameworkId = form.get("frameworkId");
        if (frameworkId == null) {
            text(response, callback, 400, "Missing 'frameworkId' query parameter in the request body");
            return;
        }
        Master.Answer answer = directory.loop().call(() -> {
            Master master = directory.leading();
            return master == null ? new Master.Answer(503, "No leader elected") : master.teardownByOperator(frameworkId);
        });
        answer(response, callback, answer);
    }

    /** Served by every master, leading or not: a standby says {@code master/elected} 0. */
    private void metrics(Response response, Callback callback) {
        Map<String, Double> metrics = directory.loop().call(() -> {
            Master master = directory.leading();
            return master == null ? MetricsSnapshot.standby(startMillis) : master.metrics();
        });
        StringBuilder body = new StringBuilder("{");
        metrics.forEach((name, value) -> {
            if (body.length() > 1) {
                body.append(',');
            }
            body.append('"').append(name).append("\":").append(StoutJson.number(value));
        });
        json(response, callback, body.append('}').toString());
    }

    private static String query(Request request, String name) {
        return Request.extractQueryParameters(request).getValue(name);
    }

    /** As Mesos' {@code numify<int>}: a value that is not a number counts as absent. */
    private static int intQuery(Request request, String name, int absent) {
        String value = query(request, name);
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n < 0 ? Integer.MAX_VALUE : n;
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private void redirect(Response response, Callback callback) {
        String target = directory.loop().call(() -> {
            Master master = directory.leading();
            if (master != null) {
                return master.info().getAddress().getHostname() + ":" + master.info().getPort();
            }
            return directory.leaderAddress();
        });
        if (target == null) {
            text(response, callback, 503, "No leader elected");
            return;
        }
        response.getHeaders().put(HttpHeader.LOCATION, "//" + target);
        empty(response, callback, 307);
    }

    private static void json(Response response, Callback callback, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void text(Response response, Callback callback, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if (status >= 500) {
            LOG.debug("answering {}: {}", status, body);
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    }

    /**
     * A body of known length is read into an array of exactly that size: readAllBytes allocated and cleared 16 KiB
     * for every call, about a third of this handler's CPU when a scheduler acknowledges thousands of updates a second.
     */
    private static byte[] readBody(Request request) throws IOException {
        long length = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (length < 0 || length > Integer.MAX_VALUE) {
                return in.readAllBytes();
            }
            byte[] body = in.readNBytes((int) length);
            if (in.read() != -1) {
                throw new IOException("request body longer than its Content-Length " + length);
            }
            return body;
        }
    }
}
