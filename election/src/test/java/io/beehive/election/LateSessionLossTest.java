package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.api.CuratorEventType;
import org.apache.curator.framework.api.CuratorListener;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.junit.jupiter.api.Test;

import io.beehive.election.Timeline.Event;
import io.beehive.election.Timeline.Kind;

/**
 * A cut-off leader whose LOST comes late must still leave office before ZooKeeper can elect another.
 *
 * <p>Curator's LOST reaches us through the ZooKeeper client's event thread, and that thread can be held: CI saw
 * it held for about a second (Curator's expiry handling closes the old handle on it, which waits for a
 * reconnection attempt), long enough for the server to expire the session and elect a successor while the old
 * leader still believed it led. Here the victim's event thread is held from its disconnection on, for as long
 * as the test needs, so no LOST can arrive at all (nor any answer to the lease's probes, which arrive on that thread
 * too): only the end of the election's own lease can depose it.
 */
class LateSessionLossTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SESSION = Duration.ofSeconds(4);

    @Test
    void aLeaderCutOffWithItsLostEventHeldLeavesOfficeBeforeASuccessorIsElected() throws Exception {
        Timeline timeline = new Timeline();
        CountDownLatch eventThreadHeld = new CountDownLatch(1);
        CountDownLatch releaseEventThread = new CountDownLatch(1);
        try (TestingServer server = ZooKeeperTestSupport.server();
             TcpProxy routeA = new TcpProxy(server.getPort());
             TcpProxy routeB = new TcpProxy(server.getPort())) {
            String viaProxies = routeA.connectString() + "," + routeB.connectString();
            try (Replica victim = Replica.start("victim:1", ZooKeeperTestSupport.settings(viaProxies, SESSION),
                    timeline)) {
                await().atMost(WAIT).until(victim::leading);
                try (Replica successor = Replica.start("successor:1",
                        ZooKeeperTestSupport.settings(server.getConnectString(), SESSION), timeline)) {
                    await().atMost(WAIT).until(() -> successor.election.state() == LeadershipState.FOLLOWING);

                    CuratorListener holdOnDisconnect = (client, event) -> {
                        if (event.getType() == CuratorEventType.WATCHED
                                && event.getWatchedEvent().getState() == KeeperState.Disconnected
                                && eventThreadHeld.getCount() > 0) {
                            eventThreadHeld.countDown();
                            releaseEventThread.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        }
                    };
                    victim.client.getCuratorListenable().addListener(holdOnDisconnect);
                    long cutAt = System.nanoTime();
                    routeA.cut();
                    routeB.cut();

                    await().atMost(WAIT).until(successor::leading);
                    long electedAt = System.nanoTime();
                    assertThat(eventThreadHeld.getCount()).as("the victim's event thread was held").isZero();
                    assertThat(releaseEventThread.getCount()).as("and still is: no LOST could reach it").isOne();

                    List<Event> victimEvents = victim.listener.events();
                    assertThat(victimEvents).extracting(Event::kind)
                            .containsExactly(Kind.ELECTED, Kind.SUSPENDED, Kind.DEPOSED);
                    Event deposed = victimEvents.get(2);
                    assertThat(deposed.reason()).isEqualTo(DepositionReason.LEASE_EXPIRED);
                    assertThat(deposed.nanos()).as("deposed before the successor took office")
                            .isLessThan(electedAt);
                    assertThat(timeline.overlaps()).isEmpty();
                    long leaseMillis = SESSION.toMillis() - SESSION.toMillis() / SessionLease.MARGIN_DIVISOR;
                    System.out.printf("cut -> suspended %d ms, -> deposed %d ms (lease: %d ms after the last answered "
                                    + "probe was sent), -> successor elected %d ms%n",
                            (victimEvents.get(1).nanos() - cutAt) / 1_000_000, (deposed.nanos() - cutAt) / 1_000_000,
                            leaseMillis, (electedAt - cutAt) / 1_000_000);

                    // Once the network and its event thread are back, the old leader contends again as follower.
                    releaseEventThread.countDown();
                    routeA.restore();
                    routeB.restore();
                    await().atMost(WAIT).until(() -> victim.election.state() == LeadershipState.FOLLOWING
                            && successor.leading());
                    assertThat(victim.listener.violations()).isEmpty();
                    assertThat(successor.listener.violations()).isEmpty();
                }
            } finally {
                releaseEventThread.countDown();
            }
        }
    }
}
