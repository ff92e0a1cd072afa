package io.beehive.election;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;

/**
 * One replica in a JVM of its own, so a test can pause it for real (SIGSTOP / SIGCONT). It joins the election and
 * answers "are you the leader?" on a loopback port, the way {@code /leaderhealth} does: for every byte it reads it
 * writes one line, {@code leader <state>} or {@code follower <state>}, where the verdict is
 * {@link LeaderElection#isLeader()} at that moment and {@code <state>} the lifecycle state the election thread last
 * set. It prints {@code PROBE-PORT <port>} once it listens, and exits when its standard input closes (the test that
 * started it has gone).
 *
 * <p>Arguments: ZooKeeper connect string, session timeout in milliseconds, participant id.
 */
public final class LeaderProcess {
    private LeaderProcess() {
    }

    public static void main(String[] args) throws Exception {
        String connectString = args[0];
        Duration session = Duration.ofMillis(Long.parseLong(args[1]));
        String id = args[2];
        CuratorFramework client = ZooKeeperClients.create(ZooKeeperTestSupport.settings(connectString, session));
        client.start();
        LeaderElection election = new LeaderElection(client,
                ElectionSettings.of(Replica.ROOT, id).withHandOffTimeout(Duration.ofSeconds(5)),
                new RecordingListener(id, new Timeline()));
        election.start();

        Thread exitWithParent = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is sent on stdin; end of stream means the test is gone.
                }
            } catch (IOException ignored) {
                // Same: the parent is gone.
            }
            Runtime.getRuntime().halt(0);
        }, "exit-with-parent");
        exitWithParent.setDaemon(true);
        exitWithParent.start();

        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            System.out.println("PROBE-PORT " + listening.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket socket = listening.accept()) {
                    socket.setTcpNoDelay(true);
                    answer(election, socket.getInputStream(), socket.getOutputStream());
                } catch (IOException e) {
                    // The test closed its end: wait for the next one.
                }
            }
        }
    }

    private static void answer(LeaderElection election, InputStream in, OutputStream out) throws IOException {
        while (in.read() >= 0) {
            // The verdict first, exactly as a health check would compute it, then the state for the record.
            boolean leader = election.isLeader();
            String line = (leader ? "leader " : "follower ") + election.state() + "\n";
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
