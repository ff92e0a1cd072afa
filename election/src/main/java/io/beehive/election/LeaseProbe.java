package io.beehive.election;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a leader's {@link SessionLease} fresh: every {@code T/10} (T the negotiated session timeout) it sends a
 * {@code sync} on the latch path and, when the answer comes back OK, renews the lease with the time the request was
 * sent (see {@link SessionLease} for why the send time, and why a {@code sync}: only the ensemble's leader answers
 * it, so a follower cut off from that leader cannot vouch for the session).
 *
 * <p>The requests are asynchronous: sending never blocks, even while disconnected (the ZooKeeper client queues the
 * request and fails it if the connection attempt fails), so the probe needs no thread of its own beyond a timer,
 * and it is independent of the election's callback thread (a slow listener callback does not starve the lease).
 * The answers arrive on the ZooKeeper client's event thread and only update the lease (an atomic compare and set).
 * If that thread is held, no renewal arrives and the lease runs out: safe, since nothing then proves the session.
 *
 * <p>Lifecycle: idle ─{@link #start}─▶ probing ─{@link #stop}─▶ idle; {@link #close} for good.
 */
final class LeaseProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseProbe.class);
    /** Probes per session timeout: with {@link SessionLease#MARGIN_DIVISOR}, see the lease's arithmetic. */
    static final int PROBES_PER_SESSION = 10;

    private final CuratorFramework client;
    private final String path;
    private final SessionLease lease;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> schedule; // guarded by this

    LeaseProbe(CuratorFramework client, String path, SessionLease lease, String participantId) {
        this.client = client;
        this.path = path;
        this.lease = lease;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "beehive-lease-" + participantId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Probes every {@code sessionTimeout / 10} from now on (the first one at once), replacing any schedule. */
    synchronized void start(Duration sessionTimeout) {
        stop();
        long period = Math.max(1, sessionTimeout.toNanos() / PROBES_PER_SESSION);
        try {
            schedule = timer.scheduleWithFixedDelay(this::probe, 0, period, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // close() ran: nothing to keep fresh.
        }
    }

    /** One probe now, besides the schedule (e.g. at RECONNECTED, so the lease is renewed as soon as possible). */
    void probeNow() {
        try {
            timer.execute(this::probe);
        } catch (RejectedExecutionException closed) {
            // close() ran.
        }
    }

    synchronized void stop() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    @Override
    public void close() {
        stop();
        timer.shutdownNow();
    }

    private void probe() {
        long session = lease.sessionId();
        if (session == 0) {
            return; // no lease to renew
        }
        ZooKeeper zk;
        try {
            zk = RawZooKeeper.of(client);
        } catch (KeeperException noSession) {
            return;
        }
        if (zk.getSessionId() != session) {
            return; // a newer session: its answers prove nothing about the one that holds the latch node
        }
        long sentAt = lease.now();
        try {
            zk.sync(path, (rc, p, ctx) -> {
                if (rc == KeeperException.Code.OK.intValue()) {
                    lease.renew(session, sentAt);
                } else {
                    LOG.debug("lease probe of session 0x{} answered {}", Long.toHexString(session),
                            KeeperException.Code.get(rc));
                }
            }, null);
        } catch (RuntimeException e) {
            // E.g. the handle was closed under us; the next probe (or the connection events) will tell.
            LOG.debug("lease probe not sent: {}", e.toString());
        }
    }
}
