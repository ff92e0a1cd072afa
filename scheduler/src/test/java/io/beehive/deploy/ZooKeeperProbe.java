package io.beehive.deploy;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads the deployment's ZooKeeper ensemble directly, as an operator would: a snapshot of Beehive's subtree (to
 * prove that nothing was written in a window), and each node's role in the quorum ({@code srvr}).
 */
final class ZooKeeperProbe implements AutoCloseable {
    private final LocalDeployment deployment;
    private final CuratorFramework client;

    /** One znode: its data and the transaction id that last modified it. */
    record Znode(long mzxid, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Znode z && z.mzxid == mzxid && Arrays.equals(z.data, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(mzxid) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "mzxid " + Long.toHexString(mzxid) + ": " + new String(data, StandardCharsets.UTF_8);
        }
    }

    ZooKeeperProbe(LocalDeployment deployment) throws InterruptedException {
        this.deployment = deployment;
        this.client = CuratorFrameworkFactory.newClient(deployment.zkConnect(), 30_000, 5_000, new RetryOneTime(500));
        client.start();
        if (!client.blockUntilConnected(60, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("cannot connect to " + deployment.zkConnect());
        }
    }

    /** Every znode under {@code root} whose path passes {@code include}, with its data and mzxid. */
    Map<String, Znode> snapshot(String root, Predicate<String> include) throws Exception {
        Map<String, Znode> out = new TreeMap<>();
        walk(root, include, out);
        return out;
    }

    private void walk(String path, Predicate<String> include, Map<String, Znode> out) throws Exception {
        if (!include.test(path)) {
            return;
        }
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        out.put(path, new Znode(stat.getMzxid(), data == null ? new byte[0] : data));
        for (String child : client.getChildren().forPath(path)) {
            walk(path.equals("/") ? "/" + child : path + "/" + child, include, out);
        }
    }

    /** The node's {@code Mode:} line of {@code srvr} (leader, follower), or empty when it is not serving. */
    Optional<String> mode(int node) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", deployment.zkClientPort(node)), 2_000);
            s.setSoTimeout(3_000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring(6).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
