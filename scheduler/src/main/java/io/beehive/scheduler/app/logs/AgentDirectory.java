package io.beehive.scheduler.app.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where each agent's HTTP API is: the leading master's {@code GET /state}, {@code slaves[]}, read again at most
 * every {@code cacheTime} (and at most once a second when an agent is missing from it). An agent's address is its
 * {@code pid} ({@code slave(1)@10.0.0.5:5051}), which is what the agent bound, rather than its {@code hostname},
 * which need not resolve from here. An agent the master no longer lists (removed, marked gone, unreachable) is
 * absent. Requests wait for one another's read of the master (one timeout at most), and a master that just failed
 * to answer is not asked again for a second.
 */
final class AgentDirectory {
    private static final Duration MIN_REFRESH = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentHttp http;
    private final Supplier<Optional<URI>> leadingMaster;
    private final Duration cacheTime;
    private Map<String, URI> agents = Map.of();
    private long readAtNanos;
    private boolean read;
    /** The last failure to read the master, answered again for a second instead of asking (and waiting) again. */
    private LogUnavailableException failure;
    private long failedAtNanos;

    AgentDirectory(AgentHttp http, Supplier<Optional<URI>> leadingMaster, Duration cacheTime) {
        this.http = http;
        this.leadingMaster = leadingMaster;
        this.cacheTime = cacheTime;
    }

    /** The agent's base URI; empty when the master does not list it. 502 when no master can be asked. */
    synchronized Optional<URI> agent(String agentId) {
        long age = System.nanoTime() - readAtNanos;
        boolean stale = !read || age > cacheTime.toNanos();
        boolean missingAndOldEnough = !agents.containsKey(agentId) && age > MIN_REFRESH.toNanos();
        if (stale || missingAndOldEnough) {
            if (failure != null && System.nanoTime() - failedAtNanos < MIN_REFRESH.toNanos()) {
                throw failure;
            }
            try {
                agents = readMaster();
            } catch (LogUnavailableException e) {
                failure = e;
                failedAtNanos = System.nanoTime();
                throw e;
            }
            failure = null;
            readAtNanos = System.nanoTime();
            read = true;
        }
        return Optional.ofNullable(agents.get(agentId));
    }

    private Map<String, URI> readMaster() {
        URI master = leadingMaster.get().orElseThrow(() -> new LogUnavailableException(
                LogUnavailableException.AGENT_UNREACHABLE, "no leading Mesos master is known to find the agent"));
        AgentHttp.Answer answer = http.get(master.resolve("/state"), "the Mesos master at " + master);
        if (answer.status() != 200) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE,
                    "the Mesos master at " + master + " answered " + answer.status() + " to GET /state");
        }
        Map<String, URI> found = new HashMap<>();
        try {
            for (JsonNode slave : JSON.readTree(answer.body()).path("slaves")) {
                addressOf(slave).ifPresent(uri -> found.put(slave.path("id").asText(), uri));
            }
        } catch (IOException e) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE,
                    "the Mesos master at " + master + " sent a /state that is not JSON: " + e.getMessage());
        }
        return Map.copyOf(found);
    }

    /** {@code slave(1)@ip:port} first, then {@code hostname} and {@code port}. */
    static Optional<URI> addressOf(JsonNode slave) {
        String pid = slave.path("pid").asText("");
        int at = pid.indexOf('@');
        if (at >= 0 && pid.indexOf(':', at) > at) {
            return Optional.of(URI.create("http://" + pid.substring(at + 1)));
        }
        String host = slave.path("hostname").asText("");
        int port = slave.path("port").asInt(0);
        return host.isEmpty() || port == 0 ? Optional.empty() : Optional.of(URI.create("http://" + host + ":" + port));
    }
}
