package io.beehive.local.remote;

import io.beehive.local.agent.LocalAgent;
import io.beehive.local.agent.MasterLink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leading master in another process, as agents see it: registration, pings, and the status updates of
 * {@link MasterLink}, posted to the master's port. Status updates are fire-and-forget: one that is lost is
 * re-sent by the agent's retry timer until acknowledged, as over a libprocess socket.
 */
public final class RemoteMaster implements MasterLink {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteMaster.class);

    private final URI base;
    private final HttpClient client;

    public RemoteMaster(String hostPort, HttpClient client) {
        this.base = URI.create("http://" + hostPort);
        this.client = client;
    }

    public URI uri() {
        return base;
    }

    /** Registers (or re-registers) an agent with its tasks; completes with the answer's status code. */
    public CompletableFuture<Integer> register(LocalAgent agent) {
        return post("/internal/agent/register",
            AgentWire.registration(agent.id(), agent.spec(), agent.port(), agent.report()));
    }

    /** 200: registered here; 409: must re-register; 503: not the leader; fails if the master is unreachable. */
    public CompletableFuture<Integer> ping(String agentId) {
        return post("/internal/agent/ping", AgentWire.ping(agentId));
    }

    @Override
    public void statusUpdate(String agentId, String frameworkId, TaskStatus status, TaskState latestState) {
        post("/internal/agent/status-update", AgentWire.statusUpdate(agentId, frameworkId, status, latestState))
            .whenComplete((code, error) -> {
                if (error != null || code != 202) {
                    LOG.debug("status update of {} not delivered to {} ({}); the agent retries", status.getTaskId()
                        .getValue(), base, error != null ? error.toString() : code);
                }
            });
    }

    @Override
    public void latestState(String agentId, String frameworkId, String taskId, TaskState latestState) {
        post("/internal/agent/latest-state", AgentWire.latestState(agentId, frameworkId, taskId, latestState));
    }

    private CompletableFuture<Integer> post(String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }
}
