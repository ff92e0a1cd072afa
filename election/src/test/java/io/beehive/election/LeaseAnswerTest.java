package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * {@link LeaderElection#isLeader()} reads the lease against the clock; it does not wait for the election's thread.
 * Here that thread is held (the leader's {@code suspended()} callback blocks) while the leader is cut off from
 * ZooKeeper, so no timer of the election can run: the answer must still turn to "not leader" at the lease's end,
 * before ZooKeeper expires the session, while the lifecycle state still says SUSPENDED.
 */
class LeaseAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SESSION = Duration.ofSeconds(4);

    @Test
    void theAnswerTurnsAtTheEndOfTheLeaseWhileTheElectionThreadIsHeld() throws Exception {
        CountDownLatch inSuspended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<DepositionReason> depositions = new CopyOnWriteArrayList<>();
        LeadershipListener holdsItsThread = new LeadershipListener() {
            @Override
            public void elected(Fence fence) {
            }

            @Override
            public void suspended() {
                inSuspended.countDown();
                try {
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void resumed() {
            }

            @Override
            public void deposed(DepositionReason reason) {
                depositions.add(reason);
            }
        };
        try (TestingServer server = ZooKeeperTestSupport.server();
             TcpProxy routeA = new TcpProxy(server.getPort());
             TcpProxy routeB = new TcpProxy(server.getPort())) {
            String viaProxies = routeA.connectString() + "," + routeB.connectString();
            CuratorFramework client = ZooKeeperClients.create(ZooKeeperTestSupport.settings(viaProxies, SESSION));
            client.start();
            LeaderElection election = new LeaderElection(client, ElectionSettings.of(Replica.ROOT, "held:1"),
                    holdsItsThread);
            try {
                election.start();
                await().atMost(WAIT).until(election::isLeader);
                Duration leaseAtCut = election.leaseRemaining();
                long cutAt = System.nanoTime();
                routeA.cut();
                routeB.cut();
                assertThat(inSuspended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                assertThat(election.isLeader()).as("SUSPENDED within the lease: still leader").isTrue();

                await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> !election.isLeader());
                long turnedAt = System.nanoTime();
                assertThat(election.state()).as("the election thread is held: nothing moved the state")
                        .isEqualTo(LeadershipState.SUSPENDED);
                assertThat(election.fence()).isEmpty();
                long turnedAfterMillis = (turnedAt - cutAt) / 1_000_000;
                System.out.printf("cut with %d ms of lease left; isLeader() turned false %d ms after the cut, "
                        + "state still %s%n", leaseAtCut.toMillis(), turnedAfterMillis, election.state());
                assertThat(turnedAfterMillis).as("before ZooKeeper could expire the session")
                        .isLessThan(SESSION.toMillis());

                release.countDown();
                await().atMost(WAIT).until(() -> election.state() == LeadershipState.FOLLOWING);
                assertThat(depositions).containsExactly(DepositionReason.LEASE_EXPIRED);
                assertThat(election.isLeader()).isFalse();
            } finally {
                release.countDown();
                election.close();
                client.close();
            }
        }
    }
}
