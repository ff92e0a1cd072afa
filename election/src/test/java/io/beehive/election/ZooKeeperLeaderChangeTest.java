package io.beehive.election;

import static io.beehive.election.ZooKeeperTestSupport.fencedWrite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.util.ServiceUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.beehive.election.Timeline.Event;
import io.beehive.election.Timeline.Kind;

/**
 * Issue 18, item 1: the ZooKeeper ensemble elects a new leader of its own while Beehive runs. When the ensemble's
 * leader dies, every follower drops its clients until a new leader is established, so the Beehive leader is
 * SUSPENDED for the ensemble's election, wherever its session is connected. The session itself lives on (the new
 * ensemble leader gives every session a fresh timeout), and the leader's lease (the session provably alive) outlasts
 * the election: Beehive's leadership must not move, with Beehive's default session (10 s) nor with the deploy
 * scripts' 4 s. Before the lease, the leader left office 30 % of the session after SUSPENDED, every time.
 */
class ZooKeeperLeaderChangeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A 500 ms tick lets the servers grant sessions from 1 s to 10 s (2 to 20 ticks). */
    private static final int TICK_MS = 500;

    private TestingCluster cluster;
    private final Timeline timeline = new Timeline();
    private final List<Replica> replicas = new ArrayList<>();

    /** As in {@link QuorumTest}: a restarted server must neither fail on a port still held nor exit the JVM. */
    @BeforeAll
    static void keepZooKeeperFromExitingTheJvm() {
        System.setProperty("zookeeper.electionPortBindRetry", "0");
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
    }

    @AfterAll
    static void restoreZooKeeperDefaults() {
        System.clearProperty("zookeeper.electionPortBindRetry");
        ServiceUtils.setSystemExitProcedure(ServiceUtils.SYSTEM_EXIT);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Replica replica : replicas) {
            replica.close();
            assertThat(replica.listener.violations()).as("callback contract of " + replica.id).isEmpty();
        }
        assertThat(timeline.overlaps()).isEmpty();
        assertThat(timeline.activeOverlaps()).isEmpty();
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "session {0} s")
    @ValueSource(ints = {4, 10})
    void killingTheZooKeeperLeaderMovesNoBeehiveLeadership(int sessionSeconds) throws Exception {
        Replica leader = startEnsembleAndReplicas(Duration.ofSeconds(sessionSeconds));
        Fence fence = leader.election.fence().orElseThrow();
        InstanceSpec zooKeeperLeader = awaitEnsembleLeader(null);

        Duration leaseAtKill = leader.election.leaseRemaining();
        long killedAt = System.nanoTime();
        cluster.killServer(zooKeeperLeader);
        Duration outage = timeUntilServing(cluster.getInstances().stream().filter(s -> !s.equals(zooKeeperLeader))
                .map(InstanceSpec::getConnectString).collect(Collectors.joining(",")), killedAt);
        InstanceSpec successor = awaitEnsembleLeader(zooKeeperLeader);
        long ensembleLedAt = System.nanoTime();

        if (!stillLeadingOrDeposed(leader, fence)) {
            // Leaving office is right when ZooKeeper served nobody for most of the lease: the leader cannot tell an
            // ensemble election from a partition that expires its session. Say so rather than pass or fail blindly.
            assertThat(first(leader, Kind.DEPOSED).reason()).isEqualTo(DepositionReason.LEASE_EXPIRED);
            assertThat(outage).as("deposed although ZooKeeper served again %d ms after the kill, within the "
                    + "lease of %d ms", outage.toMillis(), leaseAtKill.toMillis())
                    .isGreaterThan(leaseAtKill.multipliedBy(3).dividedBy(4));
            Assumptions.abort("the ensemble served no client for " + outage.toMillis() + " ms after its leader was "
                    + "killed (a busy machine), longer than the lease (" + leaseAtKill.toMillis() + " ms): the "
                    + "leader rightly left office by LEASE_EXPIRED; the claim needs an ensemble that recovers");
        }
        Event suspended = first(leader, Kind.SUSPENDED);
        Event resumed = last(leader, Kind.RESUMED);
        System.out.printf("session %d s (negotiated %d ms): ZooKeeper leader %d killed; ensemble led again by %d "
                        + "after %d ms, served a fresh client after %d ms; Beehive leader %s SUSPENDED %d ms after the kill, RESUMED %d ms later, "
                        + "epoch %d kept%n", sessionSeconds, leader.election.sessionTimeout().toMillis(),
                zooKeeperLeader.getServerId(), successor.getServerId(), millis(killedAt, ensembleLedAt),
                outage.toMillis(), leader.id,
                millis(killedAt, suspended.nanos()), millis(suspended.nanos(), resumed.nanos()), fence.epoch());
        assertLeadershipNeverMoved(leader, fence);
    }

    /** A rolling restart of the ensemble (each node in turn, its leader among them) moves nothing either. */
    @Test
    void aRollingRestartOfZooKeeperMovesNoBeehiveLeadership() throws Exception {
        Replica leader = startEnsembleAndReplicas(Duration.ofSeconds(4));
        Fence fence = leader.election.fence().orElseThrow();
        for (InstanceSpec server : List.copyOf(cluster.getInstances())) {
            boolean wasLeader = ZooKeeperTestSupport.mode(server).filter("leader"::equals).isPresent();
            cluster.killServer(server);
            awaitEnsembleLeader(server);
            awaitStillLeading(leader, fence);
            cluster.restartServer(server);
            await().atMost(WAIT).until(() -> ZooKeeperTestSupport.mode(server).isPresent());
            awaitStillLeading(leader, fence);
            System.out.printf("ZooKeeper server %d (%s) restarted; Beehive leader %s still leads, epoch %d%n",
                    server.getServerId(), wasLeader ? "was leader" : "was follower", leader.id, fence.epoch());
        }
        assertLeadershipNeverMoved(leader, fence);
    }

    private Replica startEnsembleAndReplicas(Duration session) throws Exception {
        cluster = new TestingCluster(ZooKeeperTestSupport.clusterSpecs(3, TICK_MS));
        cluster.start();
        ZooKeeperSettings zk = ZooKeeperTestSupport.settings(cluster.getConnectString(), session);
        for (int i = 0; i < 3; i++) {
            replicas.add(Replica.start("replica-" + i + ":8080", zk, timeline));
        }
        await().atMost(WAIT).until(() -> replicas.stream().filter(r -> r.election.isLeader()).count() == 1
                && replicas.stream().anyMatch(Replica::leading));
        return replicas.stream().filter(Replica::leading).findFirst().orElseThrow();
    }

    /** The one live server that says it leads the ensemble, other than {@code not}. */
    private InstanceSpec awaitEnsembleLeader(InstanceSpec not) {
        return await().atMost(WAIT).until(() -> cluster.getInstances().stream()
                .filter(s -> !s.equals(not))
                .filter(s -> ZooKeeperTestSupport.mode(s).filter("leader"::equals).isPresent())
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    /**
     * How long after {@code killedAt} the surviving servers first serve a fresh client: the ensemble's own outage,
     * seen from outside Beehive.
     */
    private static Duration timeUntilServing(String survivors, long killedAt) throws Exception {
        try (CuratorFramework probe = CuratorFrameworkFactory.newClient(survivors, 4_000, 60_000,
                new RetryOneTime(10))) {
            probe.start();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> probe.checkExists().forPath("/") != null);
            return Duration.ofNanos(System.nanoTime() - killedAt);
        }
    }

    /**
     * True once the leader is back to LEADING with the same fence and stays so for a second; false as soon as it
     * is deposed.
     */
    private static boolean stillLeadingOrDeposed(Replica leader, Fence fence) {
        await().atMost(WAIT).during(Duration.ofSeconds(1))
                .until(() -> leader.listener.count(Kind.DEPOSED) > 0 || (leader.leading()
                        && leader.election.isLeader() && fence.equals(leader.election.fence().orElse(null))));
        return leader.listener.count(Kind.DEPOSED) == 0;
    }

    /** Back to LEADING with the same fence (the connection confirmed), and staying so for a while. */
    private static void awaitStillLeading(Replica leader, Fence fence) {
        await().atMost(WAIT).during(Duration.ofSeconds(1))
                .failFast("the Beehive leader was deposed: " + leader.listener.events(),
                        () -> leader.listener.count(Kind.DEPOSED) > 0)
                .until(() -> leader.leading()
                && leader.election.isLeader() && fence.equals(leader.election.fence().orElse(null)));
    }

    private void assertLeadershipNeverMoved(Replica leader, Fence fence) throws Exception {
        List<Event> events = leader.listener.events();
        assertThat(events).as("the Beehive leader's callbacks").extracting(Event::kind)
                .startsWith(Kind.ELECTED).endsWith(Kind.RESUMED).doesNotContain(Kind.DEPOSED).contains(Kind.SUSPENDED);
        assertThat(timeline.events()).as("no replica was deposed").noneMatch(e -> e.kind() == Kind.DEPOSED);
        assertThat(timeline.elections()).as("one term, the first").hasSize(1);
        try (CuratorFramework auditor = ZooKeeperClients.create(
                ZooKeeperTestSupport.settings(cluster.getConnectString(), Duration.ofSeconds(4)))) {
            auditor.start();
            fencedWrite(auditor, fence, "/beehive/probe", "still leading".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Event first(Replica replica, Kind kind) {
        return replica.listener.events().stream().filter(e -> e.kind() == kind).findFirst().orElseThrow();
    }

    private static Event last(Replica replica, Kind kind) {
        return replica.listener.events().stream().filter(e -> e.kind() == kind).reduce((a, b) -> b).orElseThrow();
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
