package io.beehive.election;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's two persistent nodes: the latch parent {@code <root>/leader} and {@code <root>/leader-info},
 * where each new leader publishes its {@link LeaderInfo} with a write fenced by its own latch node.
 *
 * <p>Reads and the fenced write use the raw ZooKeeper handle, without Curator's retry loop: they run on the
 * election thread (or answer a health check), where failing fast on a lost connection beats blocking the
 * suspended() callback behind retries.
 */
final class LeaderInfoStore {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderInfoStore.class);
    /** Successor polling during a hand-off: cheap reads, a rare event, and a bounded wait. */
    private static final long SUCCESSOR_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final CuratorFramework client;
    private final ElectionSettings settings;

    LeaderInfoStore(CuratorFramework client, ElectionSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Creates both nodes if missing. The latch parent is persistent, not the container LeaderLatch would
     * create: ZooKeeper deletes an empty container, which would restart the sequence numbers used as epochs.
     */
    void ensurePaths() {
        for (String path : List.of(settings.latchPath(), settings.leaderInfoPath())) {
            try {
                if (client.checkExists().forPath(path) == null) {
                    client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                            .forPath(path, new byte[0]);
                }
            } catch (KeeperException.NodeExistsException raced) {
                // Another replica created it first.
            } catch (Exception e) {
                throw new IllegalStateException("cannot create " + path + " in ZooKeeper", e);
            }
        }
    }

    /**
     * Publishes a new term in one transaction with {@code check(latchPath)}: a deposed leader cannot.
     *
     * @param clock read just before the transaction is sent
     * @return the reading of {@code clock} just before the transaction that landed was sent (the first proof of the
     *         term's {@link SessionLease}; encoding the information, which loads Jackson on first use, is not in it)
     */
    long publish(Fence term, LongSupplier clock) throws KeeperException, InterruptedException {
        ZooKeeper zk = RawZooKeeper.of(client);
        byte[] info = LeaderInfoCodec.encode(
                new LeaderInfo(settings.participantId(), term.epoch(), term.latchPath(), Instant.now()));
        List<Op> fencedWrite = List.of(
                Op.check(term.latchPath(), -1),
                Op.setData(settings.leaderInfoPath(), info, -1));
        long sentAt = clock.getAsLong();
        try {
            zk.multi(fencedWrite);
        } catch (KeeperException.NoNodeException e) {
            if (zk.exists(term.latchPath(), false) == null) {
                throw e;
            }
            LOG.warn("{} was missing; recreating it", settings.leaderInfoPath());
            ensurePaths();
            sentAt = clock.getAsLong();
            zk.multi(fencedWrite);
        }
        return sentAt;
    }

    /** The latest term, if its latch node still exists; empty if none, ended, unreadable or unreachable. */
    Optional<LeaderInfo> current() {
        try {
            ZooKeeper zk = RawZooKeeper.of(client);
            Optional<LeaderInfo> latest = latest(zk);
            return latest.filter(info -> exists(zk, info.latchPath()));
        } catch (IllegalArgumentException e) {
            LOG.warn("{} holds no valid leader information: {}", settings.leaderInfoPath(), e.getMessage());
            return Optional.empty();
        } catch (KeeperException e) {
            LOG.debug("leader information unavailable: {}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Waits until a term later than {@code leftOffice} is published, up to the hand-off timeout. Polled,
     * because a hand-off is rare and the wait is bounded.
     *
     * @return false if the wait ran out or no other replica contends
     */
    boolean awaitSuccessor(Fence leftOffice) {
        Duration timeout = settings.handOffTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                ZooKeeper zk = RawZooKeeper.of(client);
                if (latest(zk).map(LeaderInfo::epoch).orElse(-1L) > leftOffice.epoch()) {
                    return true;
                }
                if (LatchNodes.lowest(zk.getChildren(settings.latchPath(), false)).isEmpty()) {
                    LOG.info("{}: no other replica contends; nobody to hand off to", settings.participantId());
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (KeeperException | IllegalArgumentException e) {
                LOG.debug("waiting for a successor: {}", e.toString());
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(SUCCESSOR_POLL_NANOS);
        }
    }

    private Optional<LeaderInfo> latest(ZooKeeper zk) throws KeeperException, InterruptedException {
        byte[] bytes = zk.getData(settings.leaderInfoPath(), false, null);
        return bytes == null || bytes.length == 0 ? Optional.empty() : Optional.of(LeaderInfoCodec.decode(bytes));
    }

    private static boolean exists(ZooKeeper zk, String path) {
        try {
            return zk.exists(path, false) != null;
        } catch (KeeperException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
