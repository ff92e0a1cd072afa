package io.beehive.election;

import static io.beehive.election.ZooKeeperTestSupport.fencedWrite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.beehive.election.Timeline.Kind;

/** Three replicas against a real three-node ZooKeeper ensemble whose nodes the tests stop and restart. */
@ExtendWith(RestartableEnsemble.class)
class QuorumTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A 500 ms tick allows sessions up to 10 s; with 9 s a leader's lease rides out about 7 s of disconnection. */
    private static final int TICK_MS = 500;
    private static final Duration SESSION = Duration.ofSeconds(9);

    private TestingCluster cluster;
    private final Timeline timeline = new Timeline();
    private final List<Replica> replicas = new ArrayList<>();

    @BeforeEach
    void startEnsemble() throws Exception {
        cluster = new TestingCluster(ZooKeeperTestSupport.clusterSpecs(3, TICK_MS));
        cluster.start();
        ZooKeeperSettings zk = ZooKeeperTestSupport.settings(cluster.getConnectString(), SESSION);
        for (int i = 0; i < 3; i++) {
            replicas.add(Replica.start("replica-" + i + ":8080", zk, timeline));
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Replica replica : replicas) {
            replica.close();
            assertThat(replica.listener.violations()).as("callback contract of " + replica.id).isEmpty();
        }
        assertThat(timeline.overlaps()).isEmpty();
        assertThat(timeline.activeOverlaps()).isEmpty();
        cluster.close();
    }

    @Test
    void oneZooKeeperNodeDownChangesNothing() throws Exception {
        Replica leader = awaitSingleLeader();
        Fence fence = leader.election.fence().orElseThrow();
        InstanceSpec leadersServer = cluster.findConnectionInstance(leader.client.getZookeeperClient().getZooKeeper());

        // The harshest single failure for the leader: the very node its session is connected to.
        cluster.killServer(leadersServer);

        await().atMost(WAIT).until(() -> leader.leading() && connectedElsewhere(leader, leadersServer));
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> leader.leading()
                && fence.equals(leader.election.fence().orElse(null)));
        // Its connection was in doubt for a moment (the scheduler paused launches), and nothing more.
        assertThat(leader.listener.events()).extracting(Timeline.Event::kind)
                .containsExactly(Kind.ELECTED, Kind.SUSPENDED, Kind.RESUMED);
        assertThat(timeline.events()).noneMatch(e -> e.kind() == Kind.DEPOSED);
        assertThat(timeline.elections()).hasSize(1);
        try (CuratorFramework auditor = auditor()) {
            fencedWrite(auditor, fence, "/beehive/probe", "still leading".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void losingQuorumSuspendsThenDeposesAndTheClusterRecoversByItself() throws Exception {
        Replica leader = awaitSingleLeader();
        Fence old = leader.election.fence().orElseThrow();
        // Stop the two nodes the leader is NOT connected to: it then cannot even hop to another node first.
        InstanceSpec leadersServer = cluster.findConnectionInstance(leader.client.getZookeeperClient().getZooKeeper());
        List<InstanceSpec> specs = cluster.getInstances().stream().filter(s -> !s.equals(leadersServer)).toList();
        assertThat(specs).hasSize(2);

        cluster.killServer(specs.get(0));
        cluster.killServer(specs.get(1));

        await().atMost(WAIT).until(() -> leader.listener.count(Kind.DEPOSED) == 1);
        assertThat(leader.listener.events()).extracting(Timeline.Event::kind)
                .containsExactly(Kind.ELECTED, Kind.SUSPENDED, Kind.DEPOSED);
        // The lease (7/8 of the session after the last answered probe) ends before Curator's LOST (a whole session
        // after SUSPENDED), and before the server could expire the session.
        assertThat(leader.listener.events().get(2).reason()).isEqualTo(DepositionReason.LEASE_EXPIRED);
        assertThat(replicas).noneMatch(r -> r.election.isLeader());

        cluster.restartServer(specs.get(0));
        cluster.restartServer(specs.get(1));

        Replica successor = awaitSingleLeader();
        assertThat(successor.election.fence().orElseThrow().epoch()).isGreaterThan(old.epoch());
        await().atMost(WAIT).untilAsserted(() -> assertThat(successor.election.currentLeader())
                .map(LeaderInfo::participantId).contains(successor.id));
    }

    private boolean connectedElsewhere(Replica replica, InstanceSpec dead) {
        try {
            InstanceSpec now = cluster.findConnectionInstance(replica.client.getZookeeperClient().getZooKeeper());
            return now != null && !now.equals(dead);
        } catch (Exception e) {
            return false;
        }
    }

    private CuratorFramework auditor() {
        CuratorFramework client = ZooKeeperClients.create(
                ZooKeeperTestSupport.settings(cluster.getConnectString(), SESSION));
        client.start();
        return client;
    }

    private Replica awaitSingleLeader() {
        await().atMost(WAIT).until(() -> replicas.stream().filter(r -> r.election.isLeader()).count() == 1
                && replicas.stream().anyMatch(Replica::leading));
        return replicas.stream().filter(Replica::leading).findFirst().orElseThrow();
    }
}
