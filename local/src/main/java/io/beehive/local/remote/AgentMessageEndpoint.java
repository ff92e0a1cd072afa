package io.beehive.local.remote;

import io.beehive.local.agent.LocalAgent;
import io.beehive.local.http.InternalEndpoint;
import io.beehive.local.master.EventLoop;
import java.time.Duration;

/**
 * The agent's half of the agent-master protocol: {@code POST /internal/master-message} on the agent's port
 * delivers one message of the master to the agent, on the agents' event loop. 200 once applied, 400 for a
 * malformed message.
 */
public final class AgentMessageEndpoint implements InternalEndpoint {

    private final LocalAgent agent;
    private final EventLoop loop;

    public AgentMessageEndpoint(LocalAgent agent, EventLoop loop) {
        this.agent = agent;
        this.loop = loop;
    }

    @Override
    public Reply handle(String path, byte[] body) {
        if (!path.equals(RemoteAgent.MESSAGE_PATH)) {
            return new Reply(404, "");
        }
        AgentWire.AgentMessage m;
        try {
            m = AgentWire.parseMessage(body);
        } catch (AgentWire.BadMessage e) {
            return new Reply(400, "Malformed master message: " + e.getMessage());
        }
        loop.run(() -> {
            switch (m.type()) {
                case RUN_TASK -> agent.runTask(m.frameworkId(), m.frameworkInfo(), m.task());
                case KILL_TASK -> agent.killTask(m.frameworkId(), m.taskId(),
                    m.graceMillis() == null ? null : Duration.ofMillis(m.graceMillis()));
                case ACKNOWLEDGE -> agent.acknowledge(m.frameworkId(), m.taskId(), m.uuid());
                case FRAMEWORK_UPDATED -> agent.frameworkUpdated(m.frameworkId(), m.frameworkInfo());
                case SHUTDOWN_FRAMEWORK -> agent.shutdownFramework(m.frameworkId());
                case DESTROY_ALL -> agent.destroyAll();
            }
        });
        return new Reply(200, "");
    }
}
