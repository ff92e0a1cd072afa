package io.beehive.local;

import io.beehive.local.master.EventLoop;
import io.beehive.local.master.Master;
import io.beehive.local.remote.AdmittedAgent;
import io.beehive.local.remote.MasterAgentEndpoint;
import io.beehive.local.remote.ZooKeeperAgentRegistry;
import io.beehive.local.zk.MasterContender;
import java.net.URI;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process holding one master and no agents, as {@code mesos-master --zk=...}: it contends in ZooKeeper; when
 * elected it reads the agent registry ({@code <zkPath>/registry}) and recovers every admitted agent, which then
 * has {@code agentReregisterTimeout} to re-register (from a {@link StandaloneAgents} process) before it is marked
 * unreachable. Frameworks are recovered from the agents' reports, as in the one-JVM cluster.
 */
public final class StandaloneMaster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneMaster.class);

    private final EventLoop loop = new EventLoop("local-mesos-master");
    private final MasterProcess process;
    private final MasterContender contender;
    private final ZooKeeperAgentRegistry registry;
    private final MasterAgentEndpoint agentProtocol;

    public StandaloneMaster(LocalClusterConfig config, String zkConnect) {
        process = new MasterProcess(config, loop, config.masterPort());
        agentProtocol = new MasterAgentEndpoint(process);
        process.agentProtocol(agentProtocol);
        contender = new MasterContender(zkConnect, config.zookeeperPath(), config.zookeeperSessionTimeout(),
            (leads, address) -> loop.post(() -> electionChanged(leads, address)));
        registry = new ZooKeeperAgentRegistry(contender.zooKeeper(), config.zookeeperPath());
        MasterInfo info = process.newMasterInfo();
        loop.run(() -> process.contendWith(info));
        contender.contend(MasterContender.masterInfoJson(info));
        LOG.info("master {} at {} contending at zk://{}{}", info.getId(), process.uri(), zkConnect,
            config.zookeeperPath());
    }

    public URI uri() {
        return process.uri();
    }

    /** This process's master id while it leads, else null. */
    public String leadingMasterId() {
        return loop.call(() -> process.leading() == null ? null : process.leading().masterId());
    }

    private void electionChanged(boolean leads, String leaderAddress) {
        if (leads && process.leading() == null) {
            Master master = process.lead(process.contendedWith(), registry);
            int recovered = 0;
            for (AdmittedAgent admitted : registry.admitted()) {
                master.recoverAgent(agentProtocol.recovered(admitted));
                recovered++;
            }
            LOG.info("master {} at {} is the leader; {} agent(s) recovered from the registry", master.masterId(),
                process.uri(), recovered);
        } else if (!leads) {
            process.standBy(leaderAddress);
        }
    }

    @Override
    public void close() {
        contender.close();
        try {
            loop.run(() -> process.stepDown(null));
        } catch (RuntimeException e) {
            LOG.warn("error while stopping the master: {}", e.toString());
        }
        process.closeHttp();
        loop.close();
    }
}
