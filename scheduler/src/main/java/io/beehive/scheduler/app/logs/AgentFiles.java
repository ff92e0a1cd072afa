package io.beehive.scheduler.app.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An agent's {@code GET /files/read}. Mesos writes the file's bytes into the JSON string as they are (only quotes,
 * backslashes and control characters escaped), so a read that ends inside a UTF-8 character is not valid UTF-8:
 * the body is decoded as ISO-8859-1, one char per byte, and the string turned back into the exact bytes.
 */
final class AgentFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bytes of a file from {@code offset}, and the file's size when asked for it. */
    record Chunk(long offset, byte[] data) {}

    private final AgentHttp http;

    AgentFiles(AgentHttp http) {
        this.http = http;
    }

    /** The file's size ({@code offset=-1}, the web UI's probe). */
    long size(Sandbox sandbox, String file) {
        return read(sandbox, file, -1, 0).offset();
    }

    /** At most {@code length} bytes from {@code offset}; the agent may return fewer (it caps one read at 64 KiB). */
    Chunk read(Sandbox sandbox, String file, long offset, long length) {
        String path = sandbox.file(file);
        URI uri = sandbox.agent().resolve("/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
                + "&offset=" + offset + (offset >= 0 ? "&length=" + length : ""));
        AgentHttp.Answer answer = http.get(uri, "agent " + sandbox.agentId() + " at " + sandbox.agent());
        if (answer.status() == 404) {
            throw new LogUnavailableException(LogUnavailableException.GONE, "agent " + sandbox.agentId()
                    + " has no file " + path + " any more: the sandbox is gone");
        }
        if (answer.status() != 200) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE, "agent "
                    + sandbox.agentId() + " answered " + answer.status() + " to reading " + path + ": "
                    + new String(answer.body(), StandardCharsets.UTF_8).trim());
        }
        try {
            JsonNode body = JSON.readTree(new String(answer.body(), StandardCharsets.ISO_8859_1));
            byte[] data = body.path("data").asText("").getBytes(StandardCharsets.ISO_8859_1);
            return new Chunk(body.path("offset").asLong(), data);
        } catch (IOException e) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE, "agent "
                    + sandbox.agentId() + " sent an answer to /files/read that is not JSON: " + e.getMessage());
        }
    }
}
