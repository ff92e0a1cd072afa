package io.beehive.local.remote;

import com.google.protobuf.ByteString;
import io.beehive.local.AgentSpec;
import io.beehive.local.agent.AgentLink;
import io.beehive.local.agent.LocalAgent;
import io.beehive.local.agent.MasterLink;
import io.beehive.local.remote.AgentWire.AgentMessage;
import io.beehive.local.remote.AgentWire.MessageType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent in another process, as the master sees it: its registration (spec, port, reported tasks) and an HTTP
 * client that posts the master's messages to the agent's port ({@code POST /internal/master-message}), one at a
 * time and in order, as a libprocess socket would deliver them. A message that cannot be delivered reports the
 * agent lost ({@code onUnreachable}); the master then treats it as a broken agent socket.
 */
public final class RemoteAgent implements AgentLink {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteAgent.class);
    static final String MESSAGE_PATH = "/internal/master-message";

    private final String id;
    private final AgentSpec spec;
    private final int port;
    private final List<LocalAgent.TaskReport> report;
    private final HttpClient client;
    private final Consumer<RemoteAgent> onUnreachable;
    private final URI messageUri;
    /** The last message in flight: the next one is sent when it is answered (order matters: run before kill). */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    RemoteAgent(String id, AgentSpec spec, int port, List<LocalAgent.TaskReport> report, HttpClient client,
                Consumer<RemoteAgent> onUnreachable) {
        this.id = id;
        this.spec = spec;
        this.port = port;
        this.report = List.copyOf(report);
        this.client = client;
        this.onUnreachable = onUnreachable;
        this.messageUri = URI.create("http://127.0.0.1:" + port + MESSAGE_PATH);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public AgentSpec spec() {
        return spec;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public List<LocalAgent.TaskReport> report() {
        return report;
    }

    /** The agent's process connects itself when its registration is answered: nothing to send. */
    @Override
    public void connect(MasterLink master) {}

    /** The agent learns it from the answer to its next ping and re-registers. */
    @Override
    public void disconnect() {}

    @Override
    public void runTask(String frameworkId, FrameworkInfo frameworkInfo, TaskInfo task) {
        send(new AgentMessage(MessageType.RUN_TASK, frameworkId, frameworkInfo, task, null, null, null));
    }

    @Override
    public void killTask(String frameworkId, String taskId, Duration gracePeriodOverride) {
        send(new AgentMessage(MessageType.KILL_TASK, frameworkId, null, null, taskId,
            gracePeriodOverride == null ? null : gracePeriodOverride.toMillis(), null));
    }

    @Override
    public void acknowledge(String frameworkId, String taskId, ByteString uuid) {
        send(new AgentMessage(MessageType.ACKNOWLEDGE, frameworkId, null, null, taskId, null, uuid));
    }

    @Override
    public void frameworkUpdated(String frameworkId, FrameworkInfo info) {
        send(new AgentMessage(MessageType.FRAMEWORK_UPDATED, frameworkId, info, null, null, null, null));
    }

    @Override
    public void shutdownFramework(String frameworkId) {
        send(new AgentMessage(MessageType.SHUTDOWN_FRAMEWORK, frameworkId, null, null, null, null, null));
    }

    @Override
    public void destroyAll() {
        send(new AgentMessage(MessageType.DESTROY_ALL, null, null, null, null, null, null));
    }

    /** Called on the master's event loop only, so {@link #tail} needs no lock. */
    private void send(AgentMessage message) {
        HttpRequest request = HttpRequest.newBuilder(messageUri).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(AgentWire.message(message))).build();
        tail = tail.handle((r, e) -> null)
            .thenCompose(ignored -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
            .whenComplete((response, error) -> {
                if (error != null) {
                    LOG.info("agent {}: cannot deliver {} ({}); the agent is lost", id, message.type(),
                        error.toString());
                    onUnreachable.accept(this);
                } else if (response.statusCode() != 200) {
                    LOG.warn("agent {} refused {}: {} {}", id, message.type(), response.statusCode(),
                        response.body());
                }
            });
    }
}
