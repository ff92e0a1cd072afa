package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hot standby holds and how fast it follows: heap per job and per task record held by a {@link StateMirror}
 * (used heap after GC before and after its first read), the time of that read, how long a burst of writes takes to
 * reach it, and a new leader's catch-up. Records as {@link Records} makes them (every field filled: the worst case).
 *
 * <p>Run: {@code ./mvnw -B -Pbench -pl state -am verify -Dtest=StateMirrorBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class StateMirrorBenchmark {
    private static final int JOBS = 10_000;
    private static final int TASKS = 100_000;

    @RegisterExtension
    final ZooKeeperFixture zk = new ZooKeeperFixture();

    @Test
    void heapPerRecordAndFollowingSpeed() throws Exception {
        ZooKeeperFixture.Leader leader = zk.leader();
        StateStore writer = leader.store();
        Fence fence = leader.fence();
        List<CompletableFuture<WriteReceipt>> writes = new ArrayList<>();
        for (int j = 0; j < JOBS; j += 100) {
            WriteBatch batch = writer.batch();
            for (int k = j; k < j + 100; k++) {
                batch.putJob(Records.job("job-" + k));
            }
            writes.add(writer.write(fence, batch));
        }
        awaitAll(writes);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        long beforeJobs = usedHeapAfterGc(memory);
        StateMirror jobsOnly = zk.store(zk.client()).startMirror();
        assertThat(jobsOnly.awaitLoaded(Duration.ofMinutes(5))).isTrue();
        long afterJobs = usedHeapAfterGc(memory);
        assertThat(jobsOnly.jobs()).hasSize(JOBS);
        long perJob = (afterJobs - beforeJobs) / JOBS;
        jobsOnly.close();

        List<TaskRecord> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            tasks.add(Records.task(i));
        }
        for (int i = 0; i < TASKS; i += 1_000) {
            writes.add(writer.saveTasks(fence, tasks.subList(i, i + 1_000)));
        }
        awaitAll(writes);
        tasks = null;

        long before = usedHeapAfterGc(memory);
        long start = System.nanoTime();
        StateMirror mirror = zk.store(zk.client()).startMirror();
        assertThat(mirror.awaitLoaded(Duration.ofMinutes(5))).isTrue();
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        long after = usedHeapAfterGc(memory);
        assertThat(mirror.tasks()).hasSize(TASKS);
        long perTask = (after - before - perJob * JOBS) / TASKS;
        System.out.printf("BENCHMARK large-state standby heap: %,d bytes per job, %,d bytes per task record "
                        + "(goal < 1,024; %,d jobs and %,d task records, every field filled: %,d bytes in all); "
                        + "first read %,d ms%n", perJob, perTask, JOBS, TASKS, after - before, loadMillis);

        // A burst of 10,000 updates (kill intents), as a leader writes them; then the time for the last to arrive.
        List<TaskRecord> killed = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            killed.add(Records.task(i).withKillIntent(7));
        }
        long burst = System.nanoTime();
        for (int i = 0; i < killed.size(); i += 500) {
            writes.add(writer.saveTasks(fence, killed.subList(i, i + 500)));
        }
        awaitAll(writes);
        long written = System.nanoTime();
        TaskRecord last = killed.get(killed.size() - 1);
        StateMirror following = mirror;
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(1))
                .until(() -> last.equals(following.task(last.taskId()).orElse(null)));
        long followed = System.nanoTime();
        long catchUpStart = System.nanoTime();
        StoredRecords caughtUp = mirror.catchUp().get(1, TimeUnit.MINUTES);
        long catchUpMillis = (System.nanoTime() - catchUpStart) / 1_000_000;
        assertThat(caughtUp.tasks()).hasSize(TASKS).contains(last);
        System.out.printf("BENCHMARK large-state standby following: 10,000 updates written in %,d ms, the last "
                        + "applied by the mirror %,d ms after it was durable; a catch-up then (sync, drain, copy of "
                        + "%,d records) %,d ms%n", (written - burst) / 1_000_000, (followed - written) / 1_000_000,
                TASKS + JOBS, catchUpMillis);
    }

    private static void awaitAll(List<CompletableFuture<WriteReceipt>> writes) throws Exception {
        for (CompletableFuture<WriteReceipt> write : writes) {
            write.get(10, TimeUnit.MINUTES);
        }
        writes.clear();
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50); // lets concurrent GC phases settle; a measurement aid, not synchronisation
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
