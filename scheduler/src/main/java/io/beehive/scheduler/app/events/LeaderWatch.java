package io.beehive.scheduler.app.events;

import io.beehive.election.ElectionSettings;
import io.beehive.election.LeaderInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Notices leadership changes on any replica, leader or follower: watches the election's {@code <root>/leader-info}
 * (a new term is published there) and the latch children under {@code <root>/leader} (a leader's node vanishing
 * means nobody leads until the next publication), and reports each change of "who leads, in which term" once.
 * A slow periodic re-check covers a watch event lost to a session change. While ZooKeeper is disconnected nothing
 * is reported: "unknown" is not "no leader".
 */
final class LeaderWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);
    private static final Duration RECHECK = Duration.ofSeconds(2);

    private final CuratorFramework client;
    private final Supplier<Optional<LeaderInfo>> leader;
    private final Consumer<Optional<LeaderInfo>> onChange;
    private final CuratorCache leaderInfo;
    private final CuratorCache latch;
    private final ScheduledExecutorService thread;
    private String lastKey;
    private volatile Optional<LeaderInfo> current = Optional.empty();

    /**
     * @param leader   reads who leads now (the election's own reading of the two nodes)
     * @param onChange called on the watch's thread with the new leader (empty: none); must not block
     */
    LeaderWatch(CuratorFramework client, String root, Supplier<Optional<LeaderInfo>> leader,
                Consumer<Optional<LeaderInfo>> onChange) {
        this.client = client;
        this.leader = leader;
        this.onChange = onChange;
        ElectionSettings paths = ElectionSettings.of(root, "leader-watch");
        this.leaderInfo = CuratorCache.build(client, paths.leaderInfoPath(), CuratorCache.Options.SINGLE_NODE_CACHE);
        this.latch = CuratorCache.build(client, paths.latchPath());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "beehive-leader-watch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        CuratorCacheListener trigger = CuratorCacheListener.builder().forAll((type, before, after) -> recheck())
                .build();
        leaderInfo.listenable().addListener(trigger);
        latch.listenable().addListener(trigger);
        leaderInfo.start();
        latch.start();
        thread.scheduleWithFixedDelay(this::check, 0, RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The leader as last reported (empty before the first reading or while none leads). */
    Optional<LeaderInfo> current() {
        return current;
    }

    private void recheck() {
        try {
            thread.execute(this::check);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // Shutting down.
        }
    }

    private void check() {
        try {
            if (!client.getZookeeperClient().isConnected()) {
                return;
            }
            Optional<LeaderInfo> now = leader.get();
            String key = now.map(l -> l.participantId() + "#" + l.epoch()).orElse("");
            if (key.equals(lastKey)) {
                return;
            }
            boolean first = lastKey == null;
            lastKey = key;
            current = now;
            LOG.info("Leader {}: {}", first ? "at start" : "changed",
                    now.map(l -> l.participantId() + " (epoch " + l.epoch() + ")").orElse("none"));
            onChange.accept(now);
        } catch (RuntimeException e) {
            LOG.debug("Leader check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        leaderInfo.close();
        latch.close();
    }
}
