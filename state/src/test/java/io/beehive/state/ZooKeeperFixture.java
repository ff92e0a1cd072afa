package io.beehive.state;

import io.beehive.election.Fence;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real ZooKeeper server and the clients of one test class. */
final class ZooKeeperFixture implements AutoCloseable {
    static final String ROOT = "/beehive";
    static final String LATCH = ROOT + "/leader";

    private final TestingServer server;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    ZooKeeperFixture() throws Exception {
        server = new TestingServer(true);
    }

    String connectString() {
        return server.getConnectString();
    }

    CuratorFramework client() {
        return client(UnaryOperator.identity());
    }

    CuratorFramework client(UnaryOperator<CuratorFrameworkFactory.Builder> customise) {
        CuratorFramework client = customise.apply(CuratorFrameworkFactory.builder()
                        .connectString(server.getConnectString())
                        .sessionTimeoutMs(30_000)
                        .connectionTimeoutMs(30_000)
                        .retryPolicy(new ExponentialBackoffRetry(100, 5)))
                .build();
        client.start();
        closeables.add(0, client);
        return client;
    }

    StateStore store(CuratorFramework client) {
        return store(client, StateStoreConfig.withRoot(ROOT));
    }

    StateStore store(CuratorFramework client, StateStoreConfig config) {
        StateStore store = StateStore.open(client, config);
        closeables.add(0, store);
        return store;
    }

    /** A fence as the election module would produce: this client's own ephemeral sequential latch node. */
    static Fence fence(CuratorFramework client) throws Exception {
        String path = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(LATCH + "/latch-");
        return fenceOf(path);
    }

    static Fence fenceOf(String latchPath) {
        return new Fence(latchPath, Long.parseLong(latchPath.substring(latchPath.length() - 10)));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing what a test may have closed already
            }
        }
        server.close();
    }
}
