package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A standby's copy of the state against what the leader wrote, record by record. */
class StateMirrorTest extends LeaderTestBase {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aMirrorFollowsAStormOfWritesRecordByRecord() throws Exception {
        StateMirror early = zk.store(zk.client()).startMirror();
        assertThat(early.awaitLoaded(PATIENCE)).isTrue();

        Map<String, TaskRecord> expected = new HashMap<>();
        List<CompletableFuture<WriteReceipt>> writes = new ArrayList<>();
        StateMirror late = null;
        for (int i = 0; i < 10_000; i += 100) {
            WriteBatch batch = store.batch();
            for (int n = i; n < i + 100; n++) {
                TaskRecord task = Records.task(n);
                batch.putTask(task);
                expected.put(task.taskId(), task);
            }
            if (i % 1_000 == 0) {
                batch.putJob(Records.job("job-" + i));
            }
            writes.add(store.write(fence, batch));
            if (i == 5_000) {
                late = zk.store(zk.client()).startMirror(); // starts reading in the middle of the storm
            }
        }
        // Updates and deletions of records the mirrors already hold.
        List<TaskRecord> killed = new ArrayList<>();
        for (int n = 0; n < 2_000; n++) {
            killed.add(expected.get(Records.task(n).taskId()).withKillIntent(42));
        }
        writes.add(store.saveTasks(fence, killed));
        killed.forEach(t -> expected.put(t.taskId(), t));
        List<String> gone = new ArrayList<>();
        for (int n = 9_000; n < 9_500; n++) {
            gone.add(Records.task(n).taskId());
        }
        writes.add(store.deleteTasks(fence, gone));
        gone.forEach(expected::remove);
        writes.add(store.deleteJob(fence, "job-0"));
        writes.add(store.blacklistAgent(fence, new BlacklistEntry("agent-7", "flaky disk", 1)));
        writes.add(store.saveFrameworkId(fence, "framework-1"));
        for (CompletableFuture<WriteReceipt> write : writes) {
            write.get(2, TimeUnit.MINUTES);
        }
        LoadedState leaderView = store.loadAll(fence);
        assertThat(byId(leaderView.tasks(), TaskRecord::taskId)).isEqualTo(expected);

        for (StateMirror mirror : List.of(early, late)) {
            await().atMost(PATIENCE).until(() -> mirror.tasks().size() == expected.size()
                    && mirror.jobs().size() == leaderView.jobs().size() && mirror.frameworkId().isPresent()
                    && !mirror.blacklist().isEmpty());
            // Not only the count: every record as the leader wrote it, after the deletions and the updates.
            StoredRecords caughtUp = mirror.catchUp().get(30, TimeUnit.SECONDS);
            assertThat(byId(caughtUp.tasks(), TaskRecord::taskId)).isEqualTo(expected);
            assertThat(byId(caughtUp.jobs(), JobRecord::id)).isEqualTo(byId(leaderView.jobs(), JobRecord::id))
                    .doesNotContainKey("job-0");
            assertThat(caughtUp.blacklist()).containsExactlyElementsOf(leaderView.blacklist());
            assertThat(caughtUp.frameworkId()).contains("framework-1");
            assertThat(mirror.trusted()).isTrue();
            assertThat(mirror.resyncs()).isZero();
        }
    }

    @Test
    void aNewLeaderWaitsForItsLaggingMirrorToCatchUp() throws Exception {
        CuratorFramework standbyClient = zk.client();
        StateStore standby = zk.store(standbyClient);
        StateMirror mirror = standby.startMirror();
        assertThat(mirror.awaitLoaded(PATIENCE)).isTrue();
        store.saveTasks(fence, List.of(Records.task(1))).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> mirror.task(Records.task(1).taskId()).isPresent());

        TaskRecord lastWrite;
        Fence standbyFence = ZooKeeperFixture.fence(standbyClient);
        CompletableFuture<LoadedState> loaded;
        try (AutoCloseable lagging = mirror.holdChanges()) {
            lastWrite = Records.task(2).withKillIntent(7);
            store.saveTasks(fence, List.of(lastWrite)).get(30, TimeUnit.SECONDS);
            store.deleteTasks(fence, List.of(Records.task(1).taskId())).get(30, TimeUnit.SECONDS);
            assertThat(mirror.task(lastWrite.taskId())).as("the mirror lags: it holds its changes").isEmpty();
            loaded = CompletableFuture.supplyAsync(() -> standby.loadForTerm(standbyFence, PATIENCE));
        }
        LoadedState state = loaded.get(2, TimeUnit.MINUTES);
        assertThat(state.fromMirror()).isTrue();
        assertThat(state.tasks()).containsExactly(lastWrite);
        assertThat(mirror.fallbacks()).isZero();
    }

    /**
     * A new leader whose standby book follows the mirror gets the records through that book: the catch-up leaves them
     * out of its answer instead of copying them, and the book holds the lagging write. Another caller's load still
     * gets the records themselves.
     */
    @Test
    void aCatchUpHandsTheRecordsToTheFollowerItWasAskedForWithoutCopyingThem() throws Exception {
        CuratorFramework standbyClient = zk.client();
        StateStore standby = zk.store(standbyClient);
        StateMirror mirror = standby.startMirror();
        assertThat(mirror.awaitLoaded(PATIENCE)).isTrue();
        store.saveTasks(fence, List.of(Records.task(5))).get(30, TimeUnit.SECONDS);
        BookFollower book = new BookFollower();
        mirror.attach(book);
        await().atMost(PATIENCE).until(() -> book.tasks.containsKey(Records.task(5).taskId()));

        TaskRecord lastWrite = Records.task(6).withKillIntent(3);
        Fence standbyFence = ZooKeeperFixture.fence(standbyClient);
        CompletableFuture<LoadedState> loaded;
        try (AutoCloseable lagging = mirror.holdChanges()) {
            store.saveTasks(fence, List.of(lastWrite)).get(30, TimeUnit.SECONDS);
            loaded = CompletableFuture.supplyAsync(() -> standby.loadForTerm(standbyFence, PATIENCE, book));
        }
        LoadedState state = loaded.get(2, TimeUnit.MINUTES);
        assertThat(state.fromMirror()).isTrue();
        assertThat(state.recordsWithFollower()).isTrue();
        assertThat(state.tasks()).as("not copied out of the mirror").isEmpty();
        assertThat(book.handedOver).isTrue();
        assertThat(book.tasks).as("the book, caught up").containsOnlyKeys(Records.task(5).taskId(),
                lastWrite.taskId()).containsEntry(lastWrite.taskId(), lastWrite);

        // The book went with that term; the next load (no follower of its own) gets a copy of the records.
        LoadedState next = standby.loadForTerm(standbyFence, PATIENCE, new BookFollower());
        assertThat(next.recordsWithFollower()).isFalse();
        assertThat(next.tasks()).containsExactlyInAnyOrder(Records.task(5), lastWrite);
    }

    /** A follower that keeps the tasks it is told of, as the scheduler's standby book does. */
    private static final class BookFollower implements StateMirror.Follower {
        final Map<String, TaskRecord> tasks = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean handedOver;

        @Override
        public void reset(java.util.Collection<JobRecord> jobs, java.util.Collection<TaskRecord> all,
                          java.util.Collection<BlacklistEntry> blacklist) {
            tasks.clear();
            all.forEach(t -> tasks.put(t.taskId(), t));
        }

        @Override
        public void job(String jobId, JobRecord job) {
        }

        @Override
        public void task(String taskId, TaskRecord task) {
            if (task == null) {
                tasks.remove(taskId);
            } else {
                tasks.put(taskId, task);
            }
        }

        @Override
        public void blacklist(String agentId, BlacklistEntry entry) {
        }

        @Override
        public void handedOver() {
            handedOver = true;
        }
    }

    @Test
    void aMirrorThatCannotCatchUpInTimeFallsBackToAFullLoad() throws Exception {
        CuratorFramework standbyClient = zk.client();
        StateStore standby = zk.store(standbyClient);
        StateMirror mirror = standby.startMirror();
        assertThat(mirror.awaitLoaded(PATIENCE)).isTrue();
        Fence standbyFence = ZooKeeperFixture.fence(standbyClient);
        try (AutoCloseable stuck = mirror.holdChanges()) {
            store.saveTasks(fence, List.of(Records.task(3))).get(30, TimeUnit.SECONDS);
            LoadedState state = standby.loadForTerm(standbyFence, Duration.ofMillis(300));
            assertThat(state.fromMirror()).isFalse();
            assertThat(state.tasks()).containsExactly(Records.task(3));
            assertThat(mirror.fallbacks()).isEqualTo(1);
        }
    }

    @Test
    void unreadableRecordsInTheMirrorAreQuarantinedByTheLeaderThatStartsFromIt() throws Exception {
        CuratorFramework standbyClient = zk.client();
        StateStore standby = zk.store(standbyClient);
        StateMirror mirror = standby.startMirror();
        assertThat(mirror.awaitLoaded(PATIENCE)).isTrue();
        String garbled = store.layout().task("garbled");
        client.create().forPath(garbled, "{not json".getBytes(StandardCharsets.UTF_8));
        store.saveTasks(fence, List.of(Records.task(4))).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> mirror.unreadablePaths().contains(garbled));

        LoadedState state = standby.loadForTerm(ZooKeeperFixture.fence(standbyClient), PATIENCE);

        assertThat(state.fromMirror()).isTrue();
        assertThat(state.tasks()).containsExactly(Records.task(4));
        assertThat(state.quarantined()).extracting(QuarantinedRecord::originalPath).containsExactly(garbled);
        assertThat(state.quarantined().get(0).moved()).isTrue();
        assertThat(client.checkExists().forPath(garbled)).isNull();
        await().atMost(PATIENCE).until(() -> mirror.unreadablePaths().isEmpty());
    }

    @Test
    void aWatchLostWithAnExpiredSessionIsDetectedAndRepaired() throws Exception {
        CuratorFramework standbyClient = zk.client();
        StateMirror mirror = zk.store(standbyClient).startMirror();
        assertThat(mirror.awaitLoaded(PATIENCE)).isTrue();
        store.saveTasks(fence, List.of(Records.task(5))).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> mirror.tasks().size() == 1);

        ZooKeeperFixture.expireSession(standbyClient);

        // Detected: read again in full, once, and trusted again.
        await().atMost(PATIENCE).until(() -> mirror.resyncs() == 1 && mirror.trusted());
        // Repaired: the new session has a watch, so a later change arrives.
        TaskRecord after = Records.task(6);
        store.saveTasks(fence, List.of(after)).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> mirror.task(after.taskId()).isPresent());
        assertThat(mirror.catchUp().get(30, TimeUnit.SECONDS).tasks())
                .containsExactlyInAnyOrder(Records.task(5), after);
    }

    private static <T> Map<String, T> byId(java.util.Collection<T> records, Function<T, String> id) {
        return records.stream().collect(Collectors.toMap(id, r -> r));
    }
}
