package io.beehive.local.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.beehive.local.agent.AgentLink;
import io.beehive.local.master.AgentRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admitted agents in ZooKeeper, {@code <zkPath>/registry/agents/<agentId>} (JSON: id, hostname, port,
 * resources, attributes), so that they outlive every master. Real Mesos keeps them in its replicated log, whose
 * replicas also live under the masters' path ({@code log_replicas}); detectors read only {@code json.info_*}
 * children. Writes are asynchronous, so the master's event loop never waits for ZooKeeper; one session delivers
 * them in order, and a failed one is logged (the agent still re-registers with a later master, which then knows
 * it again). The read at election is synchronous: a newly elected master recovers its registry before it serves,
 * as a real one does.
 */
public final class ZooKeeperAgentRegistry implements AgentRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperAgentRegistry.class);

    private final ZooKeeper zk;
    private final String agentsPath;

    public ZooKeeperAgentRegistry(ZooKeeper zk, String zkPath) {
        this.zk = zk;
        this.agentsPath = zkPath + "/registry/agents";
        ensure(zkPath + "/registry");
        ensure(agentsPath);
    }

    @Override
    public void admit(AgentLink agent) {
        byte[] data = AgentWire.agentInfo(agent.id(), agent.spec(), agent.port()).toString()
            .getBytes(StandardCharsets.UTF_8);
        String node = agentsPath + "/" + agent.id();
        zk.create(node, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
            if (KeeperException.Code.get(rc) == KeeperException.Code.NODEEXISTS) {
                zk.setData(node, data, -1, (rc2, path2, ctx2, stat) -> logFailure(rc2, "admit", agent.id()), null);
            } else {
                logFailure(rc, "admit", agent.id());
            }
        }, null);
    }

    @Override
    public void remove(String agentId) {
        zk.delete(agentsPath + "/" + agentId, -1, (rc, path, ctx) -> {
            if (KeeperException.Code.get(rc) != KeeperException.Code.NONODE) { // NONODE: never admitted
                logFailure(rc, "remove", agentId);
            }
        }, null);
    }

    private static void logFailure(int rc, String what, String agentId) {
        KeeperException.Code code = KeeperException.Code.get(rc);
        if (code != KeeperException.Code.OK) {
            LOG.error("cannot {} agent {} in the registry: {}; a master elected later will not know it until it"
                + " re-registers", what, agentId, code);
        }
    }

    /** Every admitted agent; an entry that cannot be read is logged and skipped (it re-registers as new). */
    public List<AdmittedAgent> admitted() {
        List<AdmittedAgent> out = new ArrayList<>();
        try {
            for (String child : zk.getChildren(agentsPath, false)) {
                try {
                    JsonNode n = AgentWire.parse(zk.getData(agentsPath + "/" + child, false, null));
                    out.add(new AdmittedAgent(AgentWire.text(n, "agent_id"), AgentWire.spec(n), AgentWire.port(n)));
                } catch (KeeperException.NoNodeException e) {
                    // removed meanwhile
                } catch (AgentWire.BadMessage e) {
                    LOG.warn("registry entry {} is unreadable ({}); skipped", child, e.getMessage());
                }
            }
        } catch (KeeperException e) {
            throw new IllegalStateException("cannot read the registry: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }

    private void ensure(String path) {
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // fine
        } catch (KeeperException e) {
            throw new IllegalStateException("cannot create " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
