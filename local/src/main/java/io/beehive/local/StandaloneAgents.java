package io.beehive.local;

import io.beehive.local.agent.AgentHttpServer;
import io.beehive.local.agent.LocalAgent;
import io.beehive.local.master.EventLoop;
import io.beehive.local.remote.AgentMessageEndpoint;
import io.beehive.local.remote.RemoteMaster;
import io.beehive.local.zk.MasterContender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process of agents only, as {@code mesos-agent --master=zk://...}: it follows the masters' election in
 * ZooKeeper (lowest {@code json.info_}), registers each agent with the leader and re-registers it, with its running
 * tasks, whenever the leader changes or the leader no longer knows it. Agents ping the leader every
 * {@link #pingInterval}; a leader that stops answering is dropped until ZooKeeper names the next one.
 */
public final class StandaloneAgents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneAgents.class);

    private final LocalClusterConfig config;
    private final EventLoop loop = new EventLoop("local-mesos-agents");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<LocalAgent> agents = new ArrayList<>();
    private final List<AgentHttpServer> servers = new ArrayList<>();
    private final MasterContender detector;
    private final Duration pingInterval;
    private final Path workDir;
    // the fields below belong to the loop
    private RemoteMaster leader;
    /** Agents the current leader accepted. */
    private final Set<String> registered = new HashSet<>();
    /** Agents whose registration is in flight (not sent twice). */
    private final Set<String> registering = new HashSet<>();
    private ScheduledFuture<?> pingTimer;

    /** Starts the agents of {@code config} and follows the masters at {@code zkConnect}{@code config.zookeeperPath()}. */
    public StandaloneAgents(LocalClusterConfig config, String zkConnect) {
        this.config = config;
        try {
            this.workDir = config.workDir() != null ? Files.createDirectories(config.workDir())
                : Files.createTempDirectory("beehive-local-agents");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory", e);
        }
        // A real master pings its agents every agent_ping_timeout; here the agents ping, at least four times per
        // timeout so that one lost ping never counts against them
        Duration quarter = config.agentPingTimeout().dividedBy(4);
        this.pingInterval = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
        String prefix = UUID.randomUUID().toString();
        for (int i = 0; i < config.agents().size(); i++) {
            AgentHttpServer server = new AgentHttpServer(config.agentBasePort() == 0 ? 0 : config.agentBasePort() + i);
            LocalAgent agent = new LocalAgent(prefix + "-S" + i, config.agents().get(i), server.port(), config, loop,
                workDir);
            server.serve(agent, loop, config.hostname());
            server.acceptMasterMessages(new AgentMessageEndpoint(agent, loop));
            servers.add(server);
            agents.add(agent);
        }
        detector = new MasterContender(zkConnect, config.zookeeperPath(),
            (leads, address) -> loop.post(() -> leaderIs(address)));
        detector.detect();
        loop.run(() -> pingTimer = loop.schedule(pingInterval, this::pingTick));
        LOG.info("{} agent(s) following the masters at zk://{}{}, work dir {}", agents.size(), zkConnect,
            config.zookeeperPath(), workDir);
    }

    public List<String> agentIds() {
        return agents.stream().map(LocalAgent::id).toList();
    }

    public URI agentUri(String agentId) {
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).id().equals(agentId)) {
                return URI.create("http://127.0.0.1:" + servers.get(i).port());
            }
        }
        throw new IllegalArgumentException("no agent " + agentId);
    }

    /** The leading master's base URI the agents follow, if any. */
    public URI leaderUri() {
        return loop.call(() -> leader == null ? null : leader.uri());
    }

    /** How many agents the current leader accepted. */
    public int registeredCount() {
        return loop.call(registered::size);
    }

    /** ZooKeeper names a leader (or none): a new one gets every agent's re-registration. */
    private void leaderIs(String address) {
        URI current = leader == null ? null : leader.uri();
        URI next = address == null ? null : URI.create("http://" + address);
        if (next == null ? current == null : next.equals(current)) {
            return;
        }
        LOG.info("leading master is now {}", address);
        agents.forEach(LocalAgent::disconnect);
        registered.clear();
        registering.clear();
        leader = address == null ? null : new RemoteMaster(address, client);
        agents.forEach(this::register);
    }

    private void register(LocalAgent agent) {
        RemoteMaster master = leader;
        if (master == null || !registering.add(agent.id())) {
            return;
        }
        master.register(agent).whenComplete((code, error) -> loop.post(() -> {
            registering.remove(agent.id());
            if (leader != master) {
                return; // the leader changed meanwhile; the new one got its own registration
            }
            if (error == null && code == 200) {
                registered.add(agent.id());
                agent.connect(master);
                LOG.info("agent {} registered with {}", agent.id(), master.uri());
            } else {
                LOG.info("agent {} not registered with {} ({}); retrying", agent.id(), master.uri(),
                    error != null ? error.toString() : "HTTP " + code);
            }
        }));
    }

    private void pingTick() {
        RemoteMaster master = leader;
        if (master != null) {
            for (LocalAgent agent : agents) {
                if (!registered.contains(agent.id())) {
                    register(agent);
                    continue;
                }
                master.ping(agent.id()).whenComplete((code, error) -> loop.post(() -> {
                    if (leader != master || (error == null && code == 200)) {
                        return;
                    }
                    // the master forgot the agent (409), is no longer leading (503) or is unreachable
                    LOG.info("agent {} lost master {} ({}); re-registering", agent.id(), master.uri(),
                        error != null ? error.toString() : "HTTP " + code);
                    agent.disconnect();
                    registered.remove(agent.id());
                }));
            }
        }
        pingTimer = loop.schedule(pingInterval, this::pingTick);
    }

    @Override
    public void close() {
        detector.close();
        try {
            loop.run(() -> {
                if (pingTimer != null) {
                    pingTimer.cancel(false);
                }
                agents.forEach(LocalAgent::destroyAll);
            });
        } catch (RuntimeException e) {
            LOG.warn("error while stopping the agents: {}", e.toString());
        }
        servers.forEach(AgentHttpServer::close);
        loop.close();
        LOG.info("agents stopped");
    }
}
