package io.beehive.local.agent;

import io.beehive.local.http.InternalEndpoint;
import io.beehive.local.master.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a 1.11 agent answers on its port that tools use: {@code /state} (also {@code /slave(1)/state}),
 * {@code /monitor/statistics} and the
 * files API {@code /files/read}, {@code /files/browse}, {@code /files/download}, with the status codes and texts of
 * {@code src/files/files.cpp} (trace 09). Errors are {@code text/plain; charset=utf-8}.
 */
final class AgentHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AgentHandler.class);
    private static final String NO_PATH = "Expecting 'path=value' in query.\n";

    private volatile LocalAgent agent;
    private volatile EventLoop loop;
    private volatile String masterHostname;
    private volatile InternalEndpoint masterMessages;

    void serve(LocalAgent agent, EventLoop loop, String masterHostname) {
        this.loop = loop;
        this.masterHostname = masterHostname;
        this.agent = agent;
    }

    void acceptMasterMessages(InternalEndpoint endpoint) {
        this.masterMessages = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        try {
            if (agent == null) {
                text(response, callback, 503, "Agent is not available");
                return true;
            }
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            switch (path) {
                case "/state", "/state.json", "/slave(1)/state", "/slave(1)/state.json" ->
                    json(response, callback, loop.call(() -> agent.stateJson(masterHostname))
                        .getBytes(StandardCharsets.UTF_8));
                case "/monitor/statistics", "/monitor/statistics.json" -> json(response, callback,
                    ExecutorStatistics.json(loop.call(agent::runningExecutors)).getBytes(StandardCharsets.UTF_8));
                case "/files/read", "/files/read.json" -> read(query, response, callback);
                case "/files/browse", "/files/browse.json" -> browse(query, response, callback);
                case "/files/download", "/files/download.json" -> download(query, response, callback);
                default -> {
                    InternalEndpoint internal = masterMessages;
                    if (internal != null && path.startsWith("/internal/")) {
                        if (!"POST".equals(request.getMethod())) {
                            text(response, callback, 405, "Expecting POST");
                        } else {
                            InternalEndpoint.Reply reply = internal.handle(path, body(request));
                            text(response, callback, reply.status(), reply.body());
                        }
                    } else {
                        text(response, callback, 404, "");
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("agent cannot answer {} {}: {}", request.getMethod(), path, e.toString());
            if (!response.isCommitted()) {
                text(response, callback, 503, "Agent is not available: " + e.getMessage());
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private static byte[] body(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SandboxFiles files() {
        Map<String, Path> attached = loop.call(agent::attachedSandboxes);
        return new SandboxFiles(attached);
    }

    private void read(Fields query, Response response, Callback callback) {
        String path = query.getValue("path");
        if (path == null || path.isEmpty()) {
            text(response, callback, 400, NO_PATH);
            return;
        }
        long offset = -1;
        if (query.get("offset") != null) {
            Optional<Long> parsed = number(query.getValue("offset"));
            if (parsed.isEmpty()) {
                text(response, callback, 400, "Failed to parse offset: Failed to convert '"
                    + query.getValue("offset") + "' to number.\n");
                return;
            }
            if (parsed.get() < -1) {
                text(response, callback, 400, "Negative offset provided: " + parsed.get() + ".\n");
                return;
            }
            offset = parsed.get();
        }
        Optional<Long> length = Optional.empty();
        if (query.get("length") != null) {
            Optional<Long> parsed = number(query.getValue("length"));
            if (parsed.isEmpty()) {
                text(response, callback, 400, "Failed to parse length: Failed to convert '"
                    + query.getValue("length") + "' to number.\n");
                return;
            }
            if (parsed.get() < -1) {
                text(response, callback, 400, "Negative length provided: " + parsed.get() + ".\n");
                return;
            }
            if (parsed.get() > -1) {
                length = parsed;
            }
        }
        // offset -1 (or none) is the web UI's size probe: nothing read, the size in "offset"
        boolean probe = offset == -1;
        SandboxFiles.Chunk chunk;
        try {
            chunk = files().read(path, probe ? 0 : offset, probe ? Optional.of(0L) : length);
        } catch (SandboxFiles.FilesError e) {
            filesError(e, response, callback);
            return;
        }
        json(response, callback, ReadBody.of(chunk.data(), probe ? chunk.size() : offset));
    }

    private void browse(Fields query, Response response, Callback callback) {
        String path = query.getValue("path");
        if (path == null || path.isEmpty()) {
            text(response, callback, 400, NO_PATH);
            return;
        }
        List<SandboxFiles.Entry> entries;
        try {
            entries = files().browse(path);
        } catch (SandboxFiles.FilesError e) {
            filesError(e, response, callback);
            return;
        }
        StringBuilder out = new StringBuilder("[");
        for (SandboxFiles.Entry e : entries) {
            if (out.length() > 1) {
                out.append(',');
            }
            // stout's JSON::Object is a std::map: keys in alphabetical order
            out.append("{\"gid\":").append(ReadBody.quote(e.gid()))
                .append(",\"mode\":").append(ReadBody.quote(e.mode()))
                .append(",\"mtime\":").append(e.mtimeSeconds()).append(".0")
                .append(",\"nlink\":").append(e.nlink())
                .append(",\"path\":").append(ReadBody.quote(e.path()))
                .append(",\"size\":").append(e.size())
                .append(",\"uid\":").append(ReadBody.quote(e.uid())).append('}');
        }
        json(response, callback, out.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }

    private void download(Fields query, Response response, Callback callback) {
        String path = query.getValue("path");
        if (path == null || path.isEmpty()) {
            text(response, callback, 400, NO_PATH);
            return;
        }
        Path file;
        try {
            file = files().resolve(path);
        } catch (SandboxFiles.FilesError e) {
            filesError(e, response, callback);
            return;
        }
        if (Files.isDirectory(file)) {
            text(response, callback, 400, "Cannot download a directory.\n");
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put("Content-Disposition", "attachment; filename=" + file.getFileName());
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out);
            out.close();
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
    }

    private static void filesError(SandboxFiles.FilesError e, Response response, Callback callback) {
        text(response, callback, e.type() == SandboxFiles.FilesError.Type.INVALID ? 400 : 404, e.getMessage());
    }

    /** numify: a decimal integer, surrounding blanks not allowed. */
    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void json(Response response, Callback callback, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static void text(Response response, Callback callback, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
