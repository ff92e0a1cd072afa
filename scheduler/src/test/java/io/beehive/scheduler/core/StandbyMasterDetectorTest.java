package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.ElectionSettings;
import io.beehive.election.ZooKeeperClients;
import io.beehive.election.ZooKeeperSettings;
import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import io.beehive.scheduler.mesos.MasterDetector;
import io.beehive.state.StateStoreConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StandbyMasterDetectorTest {

    /** A detector the test drives by hand, recording what its users told it. */
    private static final class HandDetector implements MasterDetector {
        volatile Optional<URI> leader = Optional.empty();
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        final List<URI> failed = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        void elect(URI master) {
            leader = Optional.of(master);
            listeners.forEach(Runnable::run);
        }

        @Override public Optional<URI> current() { return leader; }
        @Override public void failed(URI master) { failed.add(master); }
        @Override public void redirectedTo(URI master) { leader = Optional.of(master); }
        @Override public void onLeaderChange(Runnable listener) { listeners.add(listener); }
        @Override public void close() { closed.set(true); }
    }

    @Test
    void closingATermsLeaseDetachesItsListenersAndLeavesTheSharedDetectorRunning() {
        HandDetector shared = new HandDetector();
        StandbyMasterDetector standby = new StandbyMasterDetector(shared);
        MasterDetector first = standby.lease();
        AtomicInteger firstHeard = new AtomicInteger();
        first.onLeaderChange(firstHeard::incrementAndGet);

        shared.elect(URI.create("http://m1:5050"));
        assertThat(firstHeard).hasValue(1);
        assertThat(first.current()).contains(URI.create("http://m1:5050"));

        first.close();
        first.failed(URI.create("http://m1:5050")); // a closed term's client can no longer steer the shared detector
        MasterDetector second = standby.lease();
        AtomicInteger secondHeard = new AtomicInteger();
        second.onLeaderChange(secondHeard::incrementAndGet);
        shared.elect(URI.create("http://m2:5050"));

        assertThat(shared.closed).isFalse();
        assertThat(shared.failed).isEmpty();
        assertThat(firstHeard).hasValue(1);
        assertThat(secondHeard).hasValue(1);
        assertThat(second.current()).contains(URI.create("http://m2:5050"));

        standby.close();
        assertThat(shared.closed).isTrue();
    }

    /**
     * A replica that is not the leader already follows the Mesos masters' group, so when it is elected it knows
     * where to subscribe instead of starting to look (which used to cost seconds of every fail-over).
     */
    @Test
    void aStandbyReplicaFollowsTheLeadingMesosMasterBeforeItIsElected() throws Exception {
        List<AutoCloseable> closeables = new ArrayList<>();
        try (TestingServer zookeeper = new TestingServer(true)) {
            LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().masterCount(2).agents(1)
                    .zookeeper(zookeeper.getConnectString(), "/mesos").allocationInterval(Duration.ofMillis(200))
                    .build());
            closeables.add(0, cluster);
            MesosConnection mesos = MesosConnection.of("zk://" + zookeeper.getConnectString() + "/mesos");
            BeehiveScheduler leader = replica(zookeeper, "leader", mesos, closeables);
            leader.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> leader.phase() == LifecyclePhase.ACTIVE);
            BeehiveScheduler standby = replica(zookeeper, "standby", mesos, closeables);
            standby.start();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> knowsLeader(standby, cluster));
            assertThat(standby.isLeader()).isFalse();

            URI before = cluster.leaderUri();
            cluster.failoverMaster();
            await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.leaderUri().equals(before));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> knowsLeader(standby, cluster));
            assertThat(standby.isLeader()).isFalse();
        } finally {
            for (AutoCloseable c : closeables) {
                c.close();
            }
        }
    }

    /** The masters publish their hostname in ZooKeeper, the cluster reports its address: compare ports. */
    private static boolean knowsLeader(BeehiveScheduler replica, LocalCluster cluster) {
        return replica.leadingMaster().map(URI::getPort).equals(Optional.of(cluster.leaderUri().getPort()));
    }

    private static BeehiveScheduler replica(TestingServer zookeeper, String name, MesosConnection mesos,
                                            List<AutoCloseable> closeables) {
        CuratorFramework client = ZooKeeperClients.create(ZooKeeperSettings.defaults(zookeeper.getConnectString()));
        client.start();
        closeables.add(0, client);
        BeehiveScheduler s = new BeehiveScheduler(client, ElectionSettings.of("/beehive", name)
                .withHandOffTimeout(Duration.ofSeconds(5)), StateStoreConfig.withRoot("/beehive"), mesos,
                CoreFixture.fastConfig().build(), new MetricRegistry(), error -> { });
        closeables.add(0, s);
        return s;
    }
}
