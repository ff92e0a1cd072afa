package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 18, item 2: a leader paused past its session (SIGSTOP, or a long GC) must not answer as leader when it wakes,
 * not even once. The leader runs in a JVM of its own ({@link LeaderProcess}), which answers "are you the leader?" on
 * a socket as {@code /leaderhealth} would. The test freezes it, waits until ZooKeeper has expired its session and
 * another replica leads, sends a question while it is still frozen (the kernel holds it, so it is the first thing
 * the woken process can answer), wakes it, and asks again every millisecond for a while: every answer must be "not
 * leader". Before the lease, the woken process answered "leader" until its ZooKeeper client had noticed the lost
 * session (9 to 52 ms in the chaos run).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class PausedLeaderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SESSION = Duration.ofSeconds(4);
    /** Longer than the session: ZooKeeper expires it at most a session after it last heard from the process. */
    private static final Duration PAUSE_AT_LEAST = SESSION.plusSeconds(1);
    /** How long the woken process is sampled: past its own lease timer, its ZooKeeper client's reconnection, LOST. */
    private static final Duration SAMPLING = Duration.ofSeconds(3);
    private static final long SAMPLE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Process leaderProcess;

    @AfterEach
    void stopTheProcess() throws Exception {
        if (leaderProcess != null && leaderProcess.isAlive()) {
            signal(leaderProcess, "CONT"); // a stopped process does not act on SIGTERM until continued
            leaderProcess.destroy();
            if (!leaderProcess.waitFor(10, TimeUnit.SECONDS)) {
                leaderProcess.destroyForcibly();
            }
        }
    }

    @Test
    void aLeaderWokenPastItsLeaseNeverAnswersAsLeader() throws Exception {
        try (TestingServer server = ZooKeeperTestSupport.server()) {
            Path log = Files.createTempFile("paused-leader", ".log");
            leaderProcess = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    LeaderProcess.class.getName(), server.getConnectString(), Long.toString(SESSION.toMillis()),
                    "paused:1")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int port = await().atMost(WAIT).until(() -> probePort(log), Optional::isPresent).orElseThrow();

            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                 Replica successor = Replica.start("successor:1",
                         ZooKeeperTestSupport.settings(server.getConnectString(), SESSION), new Timeline())) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) WAIT.toMillis());
                OutputStream ask = socket.getOutputStream();
                BufferedReader answers = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                await().atMost(WAIT).until(() -> ask(ask, answers).startsWith("leader LEADING"));
                await().atMost(WAIT).until(() -> successor.election.state() == LeadershipState.FOLLOWING);

                signal(leaderProcess, "STOP");
                long stoppedAt = System.nanoTime();
                // ZooKeeper expires the frozen leader's session (its latch node goes) and elects the successor;
                // the pause lasts longer than a whole session in any case (the fault's duration, not a result).
                await().atMost(WAIT).until(successor::leading);
                long successorAt = System.nanoTime();
                await().atMost(WAIT).until(() -> System.nanoTime() - stoppedAt >= PAUSE_AT_LEAST.toNanos());
                ask.write('?'); // queued by the kernel: the first question the woken process answers
                ask.flush();

                signal(leaderProcess, "CONT");
                long wokenAt = System.nanoTime();
                List<Sample> samples = sampleUntil(ask, answers, wokenAt, wokenAt + SAMPLING.toNanos());

                long leaderAnswers = samples.stream().filter(s -> s.answer().startsWith("leader")).count();
                long byTheClockAlone = samples.stream().filter(Sample::refusedWhileStillInOffice).count();
                Optional<Sample> firstFollowing = samples.stream()
                        .filter(s -> s.answer().endsWith("FOLLOWING")).findFirst();
                System.out.printf("paused %d ms (session %d ms; successor elected after %d ms); after SIGCONT: %d "
                                + "samples in %d ms, first answer after %.2f ms, %d as leader, %d refused by the lease "
                                + "while the election still said LEADING/SUSPENDED, state FOLLOWING from %.2f ms%n",
                        (wokenAt - stoppedAt) / 1_000_000, SESSION.toMillis(), (successorAt - stoppedAt) / 1_000_000,
                        samples.size(), SAMPLING.toMillis(), samples.get(0).afterWakeMillis(), leaderAnswers,
                        byTheClockAlone, firstFollowing.map(Sample::afterWakeMillis).orElse(Double.NaN));
                assertThat(samples).as("answers after SIGCONT").isNotEmpty()
                        .noneMatch(s -> s.answer().startsWith("leader"));
                assertThat(firstFollowing).as("the woken process left office").isPresent();

                // It contends again as a follower; the successor kept its office throughout.
                await().atMost(WAIT).until(() -> ask(ask, answers).equals("follower FOLLOWING"));
                assertThat(successor.leading()).isTrue();
                assertThat(successor.listener.count(Timeline.Kind.DEPOSED)).isZero();
            }
        }
    }

    /** One answer: its time after SIGCONT, and the line. */
    private record Sample(double afterWakeMillis, String answer) {
        /** Refused by the lease's clock while the election thread had not yet moved the state out of office. */
        boolean refusedWhileStillInOffice() {
            return answer.startsWith("follower") && (answer.endsWith("LEADING") || answer.endsWith("SUSPENDED"));
        }
    }

    /** The answer to the question already queued, then one question per millisecond until {@code endNanos}. */
    private static List<Sample> sampleUntil(OutputStream ask, BufferedReader answers, long wokenAt, long endNanos)
            throws IOException {
        List<Sample> samples = new ArrayList<>();
        long next = System.nanoTime();
        while (true) {
            String line = answers.readLine();
            long now = System.nanoTime();
            samples.add(new Sample((now - wokenAt) / 1e6, line));
            if (now - endNanos > 0) {
                return samples;
            }
            next += SAMPLE_PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // the sampling rate, not a wait for a result
            } else {
                next = System.nanoTime(); // fell behind (a slow answer): no burst to catch up
            }
            ask.write('?');
            ask.flush();
        }
    }

    private static String ask(OutputStream ask, BufferedReader answers) throws IOException {
        ask.write('?');
        ask.flush();
        return answers.readLine();
    }

    private static Optional<Integer> probePort(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("PROBE-PORT "))
                .map(l -> Integer.parseInt(l.substring("PROBE-PORT ".length()).trim())).findFirst();
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        assertThat(rc).as("kill -%s %d", signal, process.pid()).isZero();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
