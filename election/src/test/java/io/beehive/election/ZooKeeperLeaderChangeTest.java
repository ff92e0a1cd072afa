package io.beehive.election;

import static io.beehive.election.ZooKeeperTestSupport.fencedWrite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
@ExtendWith(RestartableEnsemble.class)
class ZooKeeperLeaderChangeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A 500 ms tick lets the servers grant sessions from 1 s to 10 s (2 to 20 ticks). */
    private static final int TICK_MS = 500;

    private TestingCluster cluster;
    private final Timeline timeline = new Timeline();
    private final List<Replica> replicas = new ArrayList<>();

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
        Duration outage = kill(zooKeeperLeader, killedAt);
        InstanceSpec successor = awaitEnsembleLeader(zooKeeperLeader);
        long ensembleLedAt = System.nanoTime();
        awaitStillLeadingUnlessZooKeeperOutlastedTheLease(leader, fence, leaseAtKill, outage);
        Event suspended = first(leader, Kind.SUSPENDED);
        Event resumed = last(leader, Kind.RESUMED);
        System.out.printf("session %d s (negotiated %d ms): ZooKeeper leader %d killed; ensemble led again by %d "
                        + "after %d ms, committed writes again after %d ms; Beehive leader %s SUSPENDED %d ms after the "
                        + "kill, RESUMED %d ms later, epoch %d kept%n", sessionSeconds, leader.election.sessionTimeout().toMillis(),
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
            Duration leaseAtKill = leader.election.leaseRemaining();
            Duration outage = kill(server, System.nanoTime());
            awaitEnsembleLeader(server);
            awaitStillLeadingUnlessZooKeeperOutlastedTheLease(leader, fence, leaseAtKill, outage);
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
     * Kills {@code server}; answers how long the others then took to commit a write for a client that was connected
     * before the kill: the ensemble's own outage, seen from outside Beehive (a write needs an established leader
     * and quorum; a read could be served by a follower that has not yet noticed).
     */
    private Duration kill(InstanceSpec server, long killedAt) throws Exception {
        String survivors = cluster.getInstances().stream().filter(s -> !s.equals(server))
                .map(InstanceSpec::getConnectString).collect(Collectors.joining(","));
        try (CuratorFramework probe = CuratorFrameworkFactory.newClient(survivors, 20_000, 500,
                new RetryOneTime(10))) {
            probe.start();
            probe.blockUntilConnected(60, TimeUnit.SECONDS);
            probe.create().orSetData().forPath("/outage-probe");
            long before = System.nanoTime();
            cluster.killServer(server);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> probe.setData().forPath("/outage-probe").getMtime() > 0);
            return Duration.ofNanos(System.nanoTime() - Math.max(before, killedAt));
        }
    }

    /**
     * The claim holds for an ensemble that serves again well within the leader's lease. Leaving office is right when
     * ZooKeeper served nobody for much of the lease (the client then needs up to a connect timeout, a third of the
     * session, to find a serving server) (seen on a machine at load 11: the ensemble went through two
     * elections and served no one for 7.5 s): the leader cannot tell an ensemble's election from a partition that
     * expires its session. Such a run is reported as aborted, naming the outage, rather than passed or failed.
     */
    private static void awaitStillLeadingUnlessZooKeeperOutlastedTheLease(Replica leader, Fence fence,
                                                                        Duration leaseAtKill, Duration outage) {
        if (stillLeadingOrDeposed(leader, fence)) {
            return;
        }
        assertThat(first(leader, Kind.DEPOSED).reason()).isEqualTo(DepositionReason.LEASE_EXPIRED);
        assertThat(outage).as("deposed although ZooKeeper committed writes again %d ms after the kill, within half the lease of "
                + "%d ms", outage.toMillis(), leaseAtKill.toMillis()).isGreaterThan(leaseAtKill.dividedBy(2));
        Assumptions.abort("the ensemble committed no write for " + outage.toMillis() + " ms after a server was killed "
                + "(a busy machine), over half the lease (" + leaseAtKill.toMillis() + " ms): the leader rightly left "
                + "office by LEASE_EXPIRED; the claim needs an ensemble that recovers within the lease");
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
