package io.beehive.local.remote;

import io.beehive.local.http.InternalEndpoint;
import io.beehive.local.http.MasterDirectory;
import io.beehive.local.master.Master;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The master's half of the agent-master protocol between processes: what agents post to the master's port.
 * <ul>
 *   <li>{@code /internal/agent/register}: an agent (re-)registers with its tasks; 200 with the master's id.
 *   <li>{@code /internal/agent/ping}: 200 while registered here, 409 when it must re-register.
 *   <li>{@code /internal/agent/status-update} and {@code /internal/agent/latest-state}: 202.
 * </ul>
 * A standby answers 503 (agents find the leader in ZooKeeper); a malformed body 400 with the reason.
 */
public final class MasterAgentEndpoint implements InternalEndpoint {

    private final MasterDirectory directory;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public MasterAgentEndpoint(MasterDirectory directory) {
        this.directory = directory;
    }

    /** The connection to an admitted agent a new leader knows from the registry, until the agent re-registers. */
    public RemoteAgent recovered(AdmittedAgent admitted) {
        return newConnection(new AgentWire.Registration(admitted.agentId(), admitted.spec(), admitted.port(),
            List.of()));
    }

    @Override
    public Reply handle(String path, byte[] body) {
        try {
            return switch (path) {
                case "/internal/agent/register" -> register(AgentWire.parseRegistration(body));
                case "/internal/agent/ping" -> {
                    String agentId = AgentWire.parsePing(body);
                    yield onLeader(m -> m.agentPinged(agentId) ? new Reply(200, "")
                        : new Reply(409, "Agent " + agentId + " is not registered with master " + m.masterId()));
                }
                case "/internal/agent/status-update" -> {
                    AgentWire.StatusUpdate u = AgentWire.parseStatusUpdate(body);
                    yield onLeader(m -> {
                        m.statusUpdate(u.agentId(), u.frameworkId(), u.status(), u.latestState());
                        return new Reply(202, "");
                    });
                }
                case "/internal/agent/latest-state" -> {
                    AgentWire.LatestState u = AgentWire.parseLatestState(body);
                    yield onLeader(m -> {
                        m.latestState(u.agentId(), u.frameworkId(), u.taskId(), u.latestState());
                        return new Reply(202, "");
                    });
                }
                default -> new Reply(404, "");
            };
        } catch (AgentWire.BadMessage e) {
            return new Reply(400, "Malformed agent message: " + e.getMessage());
        }
    }

    private Reply register(AgentWire.Registration registration) {
        RemoteAgent agent = newConnection(registration);
        return onLeader(m -> {
            if (!m.knowsAgent(agent.id()) && agent.report().isEmpty()) {
                m.registerAgent(agent);
            } else {
                m.reregisterAgent(agent);
            }
            // refused: the agent was marked gone (its tasks are being destroyed)
            return m.agentActive(agent.id()) ? new Reply(200, m.masterId())
                : new Reply(403, "Agent " + agent.id() + " was marked gone");
        });
    }

    private RemoteAgent newConnection(AgentWire.Registration r) {
        return new RemoteAgent(r.agentId(), r.spec(), r.port(), r.tasks(), client, lost -> directory.loop().post(() -> {
            Master m = directory.leading();
            if (m != null) {
                m.agentConnectionLost(lost);
            }
        }));
    }

    /** Runs on the event loop against the leading master; a standby answers 503. */
    private Reply onLeader(Function<Master, Reply> action) {
        return directory.loop().call(() -> {
            Master m = directory.leading();
            return m == null ? new Reply(503, "Not the leading master") : action.apply(m);
        });
    }
}
