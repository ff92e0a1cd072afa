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

    /**
     * Makes the server expire the client's session, as after a long pause: a second handle joins the session with
     * its id and password and closes it, so the server deletes the session's ephemeral nodes at once. Returns when
     * the client has a new session and is connected again.
     */
    static void expireSession(CuratorFramework client) throws Exception {
        org.apache.zookeeper.ZooKeeper zooKeeper = client.getZookeeperClient().getZooKeeper();
        long oldSession = zooKeeper.getSessionId();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        org.apache.zookeeper.ZooKeeper intruder = new org.apache.zookeeper.ZooKeeper(
                client.getZookeeperClient().getCurrentConnectionString(), 30_000, event -> {
                    if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                }, oldSession, zooKeeper.getSessionPasswd());
        if (!connected.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not join session " + Long.toHexString(oldSession));
        }
        intruder.close();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                client.getZookeeperClient().isConnected()
                        && client.getZookeeperClient().getZooKeeper().getSessionId() != oldSession
                        && client.getZookeeperClient().getZooKeeper().getSessionId() != 0);
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
