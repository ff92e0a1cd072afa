package io.beehive.state;

import io.beehive.election.Fence;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * A real ZooKeeper server for each test, and the clients and stores the test opens on it, all closed after the
 * test. Register it on an instance field: {@code @RegisterExtension final ZooKeeperFixture zk = new ...}.
 */
final class ZooKeeperFixture implements BeforeEachCallback, AfterEachCallback {
    static final String ROOT = "/beehive";
    static final String LATCH = ROOT + "/leader";

    /** A store whose client holds a fence and has loaded the state under it: a leader ready to write. */
    record Leader(CuratorFramework client, StateStore store, Fence fence, LoadedState loaded) {
    }

    private TestingServer server;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = new TestingServer(true);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing what a test may have closed already
            }
        }
        closeables.clear();
        if (server != null) {
            server.close();
        }
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

    /** A new client that takes a fence of its own and loads the state with a store on it. */
    Leader leader() throws Exception {
        return leader(client());
    }

    /** A store on {@code client} that has loaded the state under a fence the client takes now. */
    Leader leader(CuratorFramework client) throws Exception {
        StateStore store = store(client);
        Fence fence = fence(client);
        return new Leader(client, store, fence, store.loadAll(fence));
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
        ZooKeeper zooKeeper = client.getZookeeperClient().getZooKeeper();
        long oldSession = zooKeeper.getSessionId();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper intruder = new ZooKeeper(client.getZookeeperClient().getCurrentConnectionString(), 30_000,
                event -> {
                    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                }, oldSession, zooKeeper.getSessionPasswd());
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not join session " + Long.toHexString(oldSession));
        }
        intruder.close();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.getZookeeperClient().isConnected()
                        && client.getZookeeperClient().getZooKeeper().getSessionId() != oldSession
                        && client.getZookeeperClient().getZooKeeper().getSessionId() != 0);
    }
}
