package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hand-off and crash fail-over times against a real ZooKeeper server. Prints figures; asserts only that every
 * run ended with a different leader.
 */
@Tag("benchmark")
class HandOffBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void abdicateAndCloseHandOff() throws Exception {
        Timeline timeline = new Timeline();
        List<Replica> replicas = new ArrayList<>();
        try (TestingServer server = ZooKeeperTestSupport.server()) {
            ZooKeeperSettings zk = ZooKeeperTestSupport.settings(server.getConnectString(), Duration.ofSeconds(4));
            for (int i = 0; i < 3; i++) {
                replicas.add(Replica.start("replica-" + i + ":8080", zk, timeline));
            }
            List<Long> abdicateMicros = new ArrayList<>();
            for (int run = 0; run < 60; run++) {
                Replica leader = awaitStableLeader(replicas);
                long epoch = leader.election.fence().orElseThrow().epoch();
                long start = System.nanoTime();
                assertThat(leader.election.abdicate()).isTrue();
                // abdicate() returns once the successor has published its term, maybe before its callback ran.
                await().atMost(WAIT).until(() -> timeline.firstElectionAfter(epoch).isPresent());
                Timeline.Event next = timeline.firstElectionAfter(epoch).orElseThrow();
                assertThat(next.replica()).isNotEqualTo(leader.id);
                abdicateMicros.add((next.nanos() - start) / 1_000);
            }
            List<Long> closeMicros = new ArrayList<>();
            for (int run = 0; run < 20; run++) {
                Replica leader = awaitStableLeader(replicas);
                long epoch = leader.election.fence().orElseThrow().epoch();
                long start = System.nanoTime();
                leader.close();
                await().atMost(WAIT).until(() -> timeline.firstElectionAfter(epoch).isPresent());
                Timeline.Event next = timeline.firstElectionAfter(epoch).orElseThrow();
                closeMicros.add((next.nanos() - start) / 1_000);
                replicas.remove(leader);
                replicas.add(Replica.start("replica-" + (3 + run) + ":8080", zk, timeline));
            }
            print("abdicate() -> successor elected", abdicateMicros);
            print("close() -> successor elected", closeMicros);
            assertThat(timeline.overlaps()).isEmpty();
        } finally {
            replicas.forEach(Replica::close);
        }
    }

    /**
     * A leader whose network vanishes (as a crashed host's does) with Beehive's default settings: the
     * successor is elected once ZooKeeper expires the leader's session.
     */
    @Test
    void crashDetection() throws Exception {
        Timeline timeline = new Timeline();
        List<Replica> replicas = new ArrayList<>();
        List<List<TcpProxy>> routes = new ArrayList<>();
        // A 500 ms tick lets the server grant the default 10 s session (its maximum is 20 ticks).
        try (TestingServer server = new TestingServer(
                ZooKeeperTestSupport.clusterSpecs(1, 500).get(0), true)) {
            for (int i = 0; i < 3; i++) {
                List<TcpProxy> pair = List.of(new TcpProxy(server.getPort()), new TcpProxy(server.getPort()));
                routes.add(pair);
                ZooKeeperSettings zk = ZooKeeperSettings.defaults(
                        pair.get(0).connectString() + "," + pair.get(1).connectString());
                replicas.add(Replica.start("replica-" + i + ":8080", zk, timeline));
            }
            Duration session = awaitStableLeader(replicas).election.sessionTimeout();
            List<Long> crashMicros = new ArrayList<>();
            for (int run = 0; run < 10; run++) {
                Replica leader = awaitStableLeader(replicas);
                long epoch = leader.election.fence().orElseThrow().epoch();
                List<TcpProxy> cut = routes.get(replicas.indexOf(leader));
                long start = System.nanoTime();
                cut.forEach(TcpProxy::cut);
                await().atMost(WAIT).until(() -> timeline.firstElectionAfter(epoch).isPresent());
                Timeline.Event next = timeline.firstElectionAfter(epoch).orElseThrow();
                crashMicros.add((next.nanos() - start) / 1_000);
                cut.forEach(TcpProxy::restore);
            }
            System.out.printf(Locale.ROOT, "negotiated session timeout: %d ms%n", session.toMillis());
            print("network of leader gone -> successor elected", crashMicros);
            assertThat(timeline.overlaps()).isEmpty();
        } finally {
            replicas.forEach(Replica::close);
            routes.forEach(pair -> pair.forEach(TcpProxy::close));
        }
    }

    private static Replica awaitStableLeader(List<Replica> replicas) {
        await().atMost(WAIT).until(() -> replicas.stream().filter(Replica::leading).count() == 1
                && replicas.stream().filter(r -> !r.leading())
                .allMatch(r -> r.election.state() == LeadershipState.FOLLOWING));
        return replicas.stream().filter(Replica::leading).findFirst().orElseThrow();
    }

    private static void print(String what, List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%s: runs=%d median=%.1f ms p90=%.1f ms min=%.1f ms max=%.1f ms%n", what,
                sorted.size(), percentile(sorted, 50) / 1000.0, percentile(sorted, 90) / 1000.0,
                sorted.get(0) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
