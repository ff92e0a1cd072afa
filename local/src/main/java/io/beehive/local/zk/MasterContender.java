package io.beehive.local.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.beehive.local.json.StoutJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos's master contender and detector over ZooKeeper: each master creates an EPHEMERAL_SEQUENTIAL
 * {@code <path>/json.info_} node holding its (v0) MasterInfo as compact stout JSON; the lowest sequence leads.
 * Every membership change is reported as (this contender leads?, leader's host:port).
 */
public final class MasterContender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MasterContender.class);
    private static final String PREFIX = "json.info_";
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final ZooKeeper zk;
    private final String path;
    private final BiConsumer<Boolean, String> onChange;
    private volatile String myNode;
    private volatile boolean closed;

    public MasterContender(String connect, String path, BiConsumer<Boolean, String> onChange) {
        this(connect, path, java.time.Duration.ofSeconds(10), onChange);
    }

    /** @param sessionTimeout how long this contender's node outlives its process when the process dies */
    public MasterContender(String connect, String path, java.time.Duration sessionTimeout,
                           BiConsumer<Boolean, String> onChange) {
        this.path = path;
        this.onChange = onChange;
        CountDownLatch connected = new CountDownLatch(1);
        try {
            this.zk = new ZooKeeper(connect, (int) sessionTimeout.toMillis(), event -> {
                if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            if (!connected.await(30, TimeUnit.SECONDS)) {
                zk.close();
                throw new IllegalStateException("cannot connect to ZooKeeper at " + connect);
            }
            ensurePath(path);
        } catch (IOException | KeeperException e) {
            throw new IllegalStateException("cannot use ZooKeeper at " + connect + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The session this contender holds (a master's registry writes use it too). */
    public ZooKeeper zooKeeper() {
        return zk;
    }

    /** Stout's JSON of a v0 MasterInfo with sorted keys, as a real master writes it into ZooKeeper. */
    public static String masterInfoJson(org.apache.mesos.v1.Protos.MasterInfo v1) {
        try {
            org.apache.mesos.Protos.MasterInfo.Builder v0 = org.apache.mesos.Protos.MasterInfo.newBuilder();
            v0.mergeFrom(v1.toBuilder().clearCapabilities().build().toByteArray());
            v0.addCapabilities(org.apache.mesos.Protos.MasterInfo.Capability.newBuilder()
                .setType(org.apache.mesos.Protos.MasterInfo.Capability.Type.AGENT_UPDATE));
            v0.addCapabilities(org.apache.mesos.Protos.MasterInfo.Capability.newBuilder()
                .setType(org.apache.mesos.Protos.MasterInfo.Capability.Type.AGENT_DRAINING));
            addQuotaV2(v0);
            JsonNode tree = SORTED.readTree(StoutJson.print(v0.build()));
            Object sorted = SORTED.treeToValue(tree, Object.class);
            return SORTED.writeValueAsString(sorted);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addQuotaV2(org.apache.mesos.Protos.MasterInfo.Builder v0) {
        var type = org.apache.mesos.Protos.MasterInfo.Capability.Type.getDescriptor().findValueByName("QUOTA_V2");
        if (type != null) {
            v0.addCapabilities(org.apache.mesos.Protos.MasterInfo.Capability.newBuilder()
                .setType(org.apache.mesos.Protos.MasterInfo.Capability.Type.valueOf(type)));
        }
    }

    /** Joins the election with this MasterInfo (a new node at the back of the queue). */
    public synchronized void contend(String masterInfoJson) {
        try {
            myNode = zk.create(path + "/" + PREFIX, masterInfoJson.getBytes(StandardCharsets.UTF_8),
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
            LOG.info("contending for leadership as {}", myNode);
        } catch (KeeperException e) {
            throw new IllegalStateException("cannot create the contender node: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        detect();
    }

    /** Leaves the election (the node vanishes, as when the leading master process dies). */
    public synchronized void withdraw() {
        String node = myNode;
        myNode = null;
        if (node != null) {
            try {
                zk.delete(node, -1);
                LOG.info("withdrew {}", node);
            } catch (KeeperException.NoNodeException e) {
                // already gone
            } catch (KeeperException e) {
                LOG.warn("cannot delete {}: {}", node, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads the members, reports who leads, and watches for the next change. */
    public void detect() {
        if (closed) {
            return;
        }
        try {
            List<String> children = zk.getChildren(path, (WatchedEvent e) -> detect());
            Optional<String> leader = children.stream().filter(c -> c.startsWith(PREFIX))
                .min(Comparator.comparingLong(MasterContender::sequence));
            if (leader.isEmpty()) {
                onChange.accept(false, null);
                return;
            }
            String leaderPath = path + "/" + leader.get();
            String address = null;
            try {
                byte[] data = zk.getData(leaderPath, false, null);
                JsonNode info = SORTED.readTree(data);
                address = info.path("address").path("hostname").asText(info.path("hostname").asText())
                    + ":" + info.path("address").path("port").asInt(info.path("port").asInt());
            } catch (KeeperException.NoNodeException e) {
                detect();
                return;
            }
            onChange.accept(leaderPath.equals(myNode), address);
        } catch (KeeperException | IOException e) {
            if (!closed) {
                LOG.warn("master detection failed: {}", e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long sequence(String child) {
        try {
            return Long.parseLong(child.substring(child.lastIndexOf('_') + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void ensurePath(String p) throws KeeperException, InterruptedException {
        StringBuilder current = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            current.append('/').append(part);
            try {
                zk.create(current.toString(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // fine
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            zk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
