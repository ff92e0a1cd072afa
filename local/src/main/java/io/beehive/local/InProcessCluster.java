package io.beehive.local;

import io.beehive.local.agent.AgentHttpServer;
import io.beehive.local.agent.LocalAgent;
import io.beehive.local.master.EventLoop;
import io.beehive.local.master.Master;
import io.beehive.local.zk.MasterContender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LocalCluster} implementation: master processes (one leads; with ZooKeeper the others are standbys)
 * and in-process agents, all driven by one {@link EventLoop}. Agents outlive masters: after a master failover
 * they re-register with the new leader and report their tasks.
 */
final class InProcessCluster implements LocalCluster {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessCluster.class);
    /** How long agents take to find and re-register with a new leading master. */
    private static final Duration AGENT_REREGISTER_DELAY = Duration.ofMillis(300);

    private final LocalClusterConfig config;
    private final EventLoop loop = new EventLoop("local-mesos");
    private final Path workDir;
    private final List<MasterProcess> processes = new ArrayList<>();
    private final List<MasterContender> contenders = new ArrayList<>();
    private final List<LocalAgent> agents = new ArrayList<>();
    /** Each agent's HTTP port, in the order of {@link #agents}. */
    private final List<AgentHttpServer> agentServers = new ArrayList<>();
    /** Agents cut off from the master by a test (partitioned, disconnected, removed, gone): no automatic re-registration. */
    private final Set<String> detached = new HashSet<>();
    private final String firstMasterId;
    /** Set once the agents have registered with a first leader; later leaders recover them instead. */
    private boolean agentsRegistered;

    InProcessCluster(LocalClusterConfig config) {
        this.config = config;
        try {
            this.workDir = config.workDir() != null ? Files.createDirectories(config.workDir())
                : Files.createTempDirectory("beehive-local-mesos");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory", e);
        }
        for (int i = 0; i < config.masterCount(); i++) {
            processes.add(new MasterProcess(config, loop, i == 0 ? config.masterPort() : 0));
        }
        MasterProcess first = processes.get(0);
        MasterInfo firstInfo = first.newMasterInfo();
        firstMasterId = firstInfo.getId();
        for (int i = 0; i < config.agents().size(); i++) {
            AgentSpec spec = config.agents().get(i);
            AgentHttpServer server = new AgentHttpServer(config.agentBasePort() == 0 ? 0 : config.agentBasePort() + i);
            LocalAgent agent = new LocalAgent(firstMasterId + "-S" + i, spec, server.port(), config, loop, workDir);
            server.serve(agent, loop, config.hostname());
            agentServers.add(server);
            agents.add(agent);
        }
        if (config.zookeeperConnect().isEmpty()) {
            loop.run(() -> becomeLeader(first, firstInfo));
        } else {
            String connect = config.zookeeperConnect().get();
            for (MasterProcess process : processes) {
                MasterContender contender = new MasterContender(connect, config.zookeeperPath(),
                    (leads, address) -> loop.post(() -> electionChanged(process, leads, address)));
                contenders.add(contender);
            }
            // the first process contends first so that it leads with firstInfo; the others queue behind it
            contend(0, firstInfo);
            awaitLeader();
            for (int i = 1; i < processes.size(); i++) {
                contend(i, processes.get(i).newMasterInfo());
            }
        }
        LOG.info("local Mesos cluster started: leader {} ({}), {} agent(s), work dir {}", leaderUri(), masterId(),
            agents.size(), workDir);
    }

    /** Joins the election with a MasterInfo (fresh id); the process leads with exactly this info if elected. */
    private void contend(int index, MasterInfo info) {
        MasterProcess process = processes.get(index);
        loop.run(() -> process.contendWith(info));
        contenders.get(index).contend(MasterContender.masterInfoJson(info));
    }

    /** ZooKeeper membership changed (on the loop). */
    private void electionChanged(MasterProcess process, boolean leads, String leaderAddress) {
        if (leads && process.leading() == null) {
            becomeLeader(process, process.contendedWith());
        } else if (!leads) {
            process.standBy(leaderAddress);
        }
    }

    private void becomeLeader(MasterProcess process, MasterInfo info) {
        Master master = process.lead(info);
        LOG.info("master {} at {} is the leader", info.getId(), process.uri());
        if (!agentsRegistered) {
            agentsRegistered = true;
            agents.forEach(master::registerAgent);
        } else {
            recoverAgents(master);
        }
    }

    /** A new leader knows the agents from the registry; they re-register shortly (unless cut off by a test). */
    private void recoverAgents(Master master) {
        for (LocalAgent agent : agents) {
            agent.disconnect();
            master.recoverAgent(agent);
        }
        loop.schedule(AGENT_REREGISTER_DELAY, () -> {
            Master current = currentMaster();
            if (current != master) {
                return;
            }
            for (LocalAgent agent : agents) {
                if (!detached.contains(agent.id())) {
                    master.reregisterAgent(agent);
                }
            }
        });
    }

    private Master currentMaster() {
        for (MasterProcess p : processes) {
            if (p.leading() != null) {
                return p.leading();
            }
        }
        return null;
    }

    private MasterProcess leaderProcess() {
        for (MasterProcess p : processes) {
            if (p.leading() != null) {
                return p;
            }
        }
        return null;
    }

    private void awaitLeader() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (loop.call(() -> leaderProcess() != null)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no master was elected within 30 s");
    }

    private void onMaster(java.util.function.Consumer<Master> action) {
        loop.run(() -> {
            Master m = currentMaster();
            if (m != null) {
                action.accept(m);
            }
        });
    }

    // ---- LocalCluster -----------------------------------------------------------------------------------------

    @Override
    public URI leaderUri() {
        awaitLeader();
        return loop.call(() -> leaderProcess().uri());
    }

    @Override
    public List<URI> masterUris() {
        awaitLeader();
        return loop.call(() -> {
            List<URI> out = new ArrayList<>();
            MasterProcess leader = leaderProcess();
            out.add(leader.uri());
            processes.stream().filter(p -> p != leader).forEach(p -> out.add(p.uri()));
            return out;
        });
    }

    @Override
    public String masterId() {
        awaitLeader();
        return loop.call(() -> currentMaster().masterId());
    }

    @Override
    public List<String> agentIds() {
        return agents.stream().map(LocalAgent::id).toList();
    }

    @Override
    public Path sandbox(String frameworkId, String taskId) {
        return workDir.resolve("agents").resolve(agentOf(frameworkId, taskId)).resolve("frameworks")
            .resolve(frameworkId).resolve("executors").resolve(taskId).resolve("runs").resolve("latest");
    }

    private String agentOf(String frameworkId, String taskId) {
        for (LocalAgent agent : agents) {
            if (Files.isDirectory(agent.sandbox(frameworkId, taskId))) {
                return agent.id();
            }
        }
        return agents.get(0).id();
    }

    @Override
    public URI agentUri(String agentId) {
        return URI.create("http://127.0.0.1:" + agentServer(agentId).port());
    }

    @Override
    public void stopAgentHttp(String agentId) {
        agentServer(agentId).close();
    }

    private AgentHttpServer agentServer(String agentId) {
        int index = agents.indexOf(agent(agentId));
        if (index < 0) {
            throw new IllegalArgumentException("no agent " + agentId);
        }
        return agentServers.get(index);
    }

    @Override
    public void partitionAgent(String agentId) {
        loop.run(() -> {
            detached.add(agentId);
            Master m = currentMaster();
            if (m != null) {
                m.partitionAgent(agentId);
            }
        });
    }

    @Override
    public void markAgentUnreachable(String agentId) {
        loop.run(() -> {
            detached.add(agentId);
            Master m = currentMaster();
            if (m != null) {
                m.markUnreachable(agentId, "health check timed out");
            }
        });
    }

    @Override
    public void healAgent(String agentId) {
        loop.run(() -> {
            detached.remove(agentId);
            Master m = currentMaster();
            LocalAgent agent = agent(agentId);
            if (m != null && agent != null) {
                m.reregisterAgent(agent);
            }
        });
    }

    @Override
    public void disconnectAgent(String agentId) {
        loop.run(() -> {
            detached.add(agentId);
            Master m = currentMaster();
            if (m != null) {
                m.disconnectAgent(agentId);
            }
        });
    }

    @Override
    public void removeAgent(String agentId) {
        loop.run(() -> {
            detached.add(agentId);
            Master m = currentMaster();
            if (m != null) {
                m.removeAgent(agentId);
            }
        });
    }

    @Override
    public void markAgentGone(String agentId) {
        loop.run(() -> {
            detached.add(agentId);
            Master m = currentMaster();
            if (m != null) {
                m.markAgentGone(agentId);
            }
        });
    }

    private LocalAgent agent(String agentId) {
        return agents.stream().filter(a -> a.id().equals(agentId)).findFirst().orElse(null);
    }

    @Override
    public void failoverMaster() {
        String oldId = masterId();
        if (contenders.isEmpty()) {
            loop.run(() -> {
                MasterProcess process = processes.get(0);
                Master old = process.leading();
                LOG.info("master {} restarts in place", old.masterId());
                process.stepDown(null);
                agents.forEach(LocalAgent::disconnect);
                becomeLeader(process, process.newMasterInfo());
            });
        } else {
            int index = loop.call(() -> {
                MasterProcess leader = leaderProcess();
                int i = processes.indexOf(leader);
                LOG.info("master {} steps down", leader.leading().masterId());
                leader.stepDown(null);
                agents.forEach(LocalAgent::disconnect);
                return i;
            });
            contenders.get(index).withdraw();
            contend(index, processes.get(index).newMasterInfo());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String id = loop.call(() -> currentMaster() == null ? null : currentMaster().masterId());
            if (id != null && !id.equals(oldId)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("no new master was elected within 30 s");
    }

    @Override
    public void suspendHeartbeats(boolean suspended) {
        onMaster(m -> m.suspendHeartbeats(suspended));
    }

    @Override
    public void dropSubscription(String frameworkId) {
        onMaster(m -> m.dropSubscription(frameworkId));
    }

    @Override
    public void injectStreamBytes(String frameworkId, byte[] raw) {
        onMaster(m -> m.injectStreamBytes(frameworkId, raw));
    }

    @Override
    public void offerTimeout(Duration timeout) {
        onMaster(m -> m.offerTimeout(timeout));
    }

    @Override
    public void close() {
        try {
            loop.run(() -> {
                for (MasterProcess p : processes) {
                    p.stepDown(null);
                }
                agents.forEach(LocalAgent::destroyAll);
            });
        } catch (RuntimeException e) {
            LOG.warn("error while stopping the cluster: {}", e.toString());
        }
        contenders.forEach(MasterContender::close);
        processes.forEach(MasterProcess::closeHttp);
        agentServers.forEach(AgentHttpServer::close);
        loop.close();
        LOG.info("local Mesos cluster stopped");
    }
}
