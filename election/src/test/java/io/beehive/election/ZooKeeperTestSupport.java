package io.beehive.election;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Real ZooKeeper servers with a short tick (so short session timeouts are allowed) and session tools. */
final class ZooKeeperTestSupport {
    /** With a 200 ms tick the server accepts session timeouts from 0.4 s to 4 s. */
    static final int TICK_MS = 200;

    private ZooKeeperTestSupport() {
    }

    static TestingServer server() throws Exception {
        return new TestingServer(spec(-1, TICK_MS), true);
    }

    static List<InstanceSpec> clusterSpecs(int size, int tickMs) {
        return IntStream.rangeClosed(1, size).mapToObj(id -> spec(id, tickMs)).toList();
    }

    /**
     * curator-test's ensembles give a follower 10 ticks to join a new leader and 5 to stay in sync with it; on a busy
     * machine (three servers in one test JVM) a follower that misses that window sends the ensemble into a second
     * election and keeps it from serving for several seconds. Production ensembles get the same kind of slack.
     */
    private static InstanceSpec spec(int serverId, int tickMs) {
        return new InstanceSpec(null, -1, -1, -1, true, serverId, tickMs, -1,
                Map.of("initLimit", "20", "syncLimit", "20"));
    }

    static ZooKeeperSettings settings(String connectString, Duration sessionTimeout) {
        return ZooKeeperSettings.defaults(connectString).withSessionTimeout(sessionTimeout)
                .withConnectionTimeout(sessionTimeout.dividedBy(2));
    }

    /**
     * Expires {@code client}'s session on the server, the way a long partition does: a second connection with
     * the same session id and password closes the session, which deletes its ephemeral nodes.
     */
    static void expireSession(CuratorFramework client, String connectString) throws Exception {
        ZooKeeper victim = client.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper impostor = new ZooKeeper(connectString, victim.getSessionTimeout(), event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, victim.getSessionId(), victim.getSessionPasswd());
        try {
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not attach to the session to expire it");
            }
        } finally {
            impostor.close();
        }
    }

    /** A state write as the state module makes it: one transaction that also checks the fence's latch node. */
    static void fencedWrite(CuratorFramework client, Fence fence, String path, byte[] data) throws Exception {
        if (client.checkExists().forPath(path) == null) {
            client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
        }
        CuratorOp check = client.transactionOp().check().forPath(fence.latchPath());
        CuratorOp write = client.transactionOp().setData().forPath(path, data);
        client.transaction().forOperations(check, write);
    }

    /**
     * A server's role in its ensemble ({@code leader}, {@code follower}, {@code standalone}) from the {@code Mode:}
     * line of the {@code srvr} four-letter word (the one ZooKeeper allows by default); empty while it does not serve.
     */
    static Optional<String> mode(InstanceSpec server) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()), 2_000);
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring(6).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
