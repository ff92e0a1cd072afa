package io.beehive.local;

import io.beehive.local.http.InternalEndpoint;
import io.beehive.local.http.MasterDirectory;
import io.beehive.local.http.MasterHttpServer;
import io.beehive.local.master.AgentRegistry;
import io.beehive.local.master.EventLoop;
import io.beehive.local.master.Master;
import java.net.URI;
import java.util.UUID;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.MasterInfo;

/**
 * One master process: an HTTP port and, while it is the elected leader, a {@link Master}. A standby answers
 * scheduler calls with 307 to the leader it knows, or 503. Leadership is switched on the event loop.
 */
final class MasterProcess implements MasterDirectory {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MasterProcess.class);

    private final LocalClusterConfig config;
    private final EventLoop loop;
    private final MasterHttpServer http;
    // volatile: HTTP threads read them without a trip through the event loop; only the loop writes them
    private volatile Master master;
    private volatile String leaderAddress;
    /** The MasterInfo published in ZooKeeper by this process's current contender node. */
    private MasterInfo contendedWith;
    private volatile InternalEndpoint agentProtocol;

    MasterProcess(LocalClusterConfig config, EventLoop loop, int port) {
        this.config = config;
        this.loop = loop;
        this.http = new MasterHttpServer(port, this).start();
    }

    @Override
    public Master leading() {
        return master;
    }

    @Override
    public String leaderAddress() {
        return leaderAddress;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public InternalEndpoint agentProtocol() {
        return agentProtocol;
    }

    /** Serves the agent-master protocol for agents in other processes. */
    void agentProtocol(InternalEndpoint endpoint) {
        this.agentProtocol = endpoint;
    }

    int port() {
        return http.port();
    }

    URI uri() {
        return http.uri();
    }

    String address() {
        return config.hostname() + ":" + port();
    }

    /** The MasterInfo this process would publish, with a fresh id. */
    MasterInfo newMasterInfo() {
        String id = UUID.randomUUID().toString();
        int port = port();
        return MasterInfo.newBuilder()
            .setId(id)
            .setIp(16777343) // 127.0.0.1 in network byte order read as a host-order uint32, as Mesos prints it
            .setPort(port)
            .setPid("master@127.0.0.1:" + port)
            .setHostname(config.hostname())
            .setVersion("1.11.0")
            .setAddress(Address.newBuilder().setHostname(config.hostname()).setIp("127.0.0.1").setPort(port))
            .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_UPDATE))
            .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_DRAINING))
            // QUOTA_V2 has no v1 name: the real master's v0->v1 conversion leaves an empty capability
            .addCapabilities(MasterInfo.Capability.newBuilder())
            .build();
    }

    void contendWith(MasterInfo info) {
        this.contendedWith = info;
    }

    MasterInfo contendedWith() {
        return contendedWith;
    }

    /** Becomes the leader with a new master (on the loop). */
    Master lead(MasterInfo info) {
        return lead(info, AgentRegistry.IN_MEMORY);
    }

    /** Becomes the leader with a new master that records admitted agents in {@code registry} (on the loop). */
    Master lead(MasterInfo info, AgentRegistry registry) {
        master = new Master(config, loop, info.getId(), info, registry);
        leaderAddress = null;
        master.start();
        return master;
    }

    /** Stops leading (on the loop); the master's streams are closed. */
    void stepDown(String newLeaderAddress) {
        if (master != null) {
            master.shutdown();
            master = null;
        }
        leaderAddress = newLeaderAddress;
    }

    void follow(String address) {
        if (master == null) {
            leaderAddress = address;
        }
    }

    /** Another master leads, or nobody does (on the loop): a leader steps down, a standby follows. */
    void standBy(String leaderAddress) {
        if (master != null) {
            // a real master aborts here; this one serves on as a standby that redirects to the new leader
            LOG.info("master {} lost leadership", master.masterId());
            stepDown(leaderAddress);
        } else {
            follow(leaderAddress);
        }
    }

    void closeHttp() {
        http.close();
    }
}
