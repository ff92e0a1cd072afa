package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures for the state module: batched write throughput, time to load 100,000 task records, heap per loaded
 * record. The ZooKeeper server is a curator-test TestingServer in the same JVM (default jute.maxbuffer), so it
 * shares the machine's cores with the client: the figures are a floor for a remote ensemble.
 *
 * <p>Run: {@code ./mvnw -B -Pbench -Dbeehive.target=target-state -pl state -am verify -Dtest=StateBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class StateBenchmark {
    private static final int TASKS = 100_000;

    @RegisterExtension
    final ZooKeeperFixture zk = new ZooKeeperFixture();

    @Test
    void writeThenLoadOneHundredThousandTasks() throws Exception {
        ZooKeeperFixture.Leader first = zk.leader();
        StateStore writer = first.store();
        Fence fence = first.fence();

        List<TaskRecord> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            tasks.add(Records.task(i));
        }
        int[] batchSizes = {100, 1_000, 5_000};
        int offset = 0;
        for (int batchSize : batchSizes) {
            int count = batchSize == 5_000 ? TASKS - offset : 20_000;
            List<TaskRecord> slice = tasks.subList(offset, offset + count);
            offset += count;
            long start = System.nanoTime();
            List<CompletableFuture<WriteReceipt>> futures = new ArrayList<>();
            for (int i = 0; i < slice.size(); i += batchSize) {
                futures.add(writer.saveTasks(fence, slice.subList(i, Math.min(slice.size(), i + batchSize))));
            }
            int transactions = 0;
            for (CompletableFuture<WriteReceipt> future : futures) {
                transactions += future.get(10, TimeUnit.MINUTES).transactions();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH write: %,d new task records in batches of %,d: %.2f s, %,.0f records/s "
                    + "(%d fenced transactions)%n", count, batchSize, seconds, count / seconds, transactions);
        }
        {
            List<TaskRecord> killed = tasks.subList(0, 20_000).stream().map(t -> t.withKillIntent(1)).toList();
            long start = System.nanoTime();
            List<CompletableFuture<WriteReceipt>> futures = new ArrayList<>();
            for (int i = 0; i < killed.size(); i += 1_000) {
                futures.add(writer.saveTasks(fence, killed.subList(i, i + 1_000)));
            }
            for (CompletableFuture<WriteReceipt> future : futures) {
                future.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH write: 20,000 updates of existing task records in batches of 1,000: %.2f s, "
                    + "%,.0f records/s%n", seconds, 20_000 / seconds);
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int round = 1; round <= 3; round++) {
            CuratorFramework leaderClient = zk.client();
            StateStore leader = zk.store(leaderClient);
            Fence leaderFence = ZooKeeperFixture.fence(leaderClient);
            long before = usedHeapAfterGc(memory);
            long start = System.nanoTime();
            LoadedState loaded = leader.loadAll(leaderFence);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long after = usedHeapAfterGc(memory);
            assertThat(loaded.tasks()).hasSize(TASKS);
            assertThat(loaded.quarantined()).isEmpty();
            System.out.printf("BENCH load #%d: %,d task records in %,d ms (goal <= 3,000 ms); heap held by the "
                            + "loaded state %,d bytes = %,d bytes per record (goal <= 2,048)%n", round,
                    loaded.tasks().size(), millis, after - before, (after - before) / TASKS);
            assertThat(loaded.tasks().get(0).taskId()).isNotEmpty(); // keeps the state reachable until measured
        }
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
