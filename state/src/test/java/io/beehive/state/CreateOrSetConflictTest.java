package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Create-or-set decides between create and setData from an existence check made just before the transaction. Two
 * writers under one fence (two stores of one leader) creating and deleting the same records race between that
 * check and the transaction; the losing transaction fails with NODEEXISTS or NONODE on a tolerant operation and
 * must be rebuilt and retried, not reported as a failure.
 */
class CreateOrSetConflictTest {
    @RegisterExtension
    final ZooKeeperFixture zk = new ZooKeeperFixture();

    @Test
    void racingCreatesAndDeletesOfTheSameRecordsAllSucceed() throws Exception {
        ZooKeeperFixture.Leader leader = zk.leader();
        StateStore a = leader.store();
        StateStore b = zk.store(zk.client());
        Fence fence = leader.fence();
        List<TaskRecord> tasks = IntStream.range(0, 20).mapToObj(Records::task).toList();
        List<String> ids = tasks.stream().map(TaskRecord::taskId).toList();

        List<CompletableFuture<WriteReceipt>> writes = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            writes.add(a.saveTasks(fence, tasks));
            writes.add(b.saveTasks(fence, tasks));
            writes.add(round % 2 == 0 ? a.deleteTasks(fence, ids) : b.deleteTasks(fence, ids));
        }
        // Every write succeeds: none fails with a NODEEXISTS / NONODE conflict.
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(writes).allMatch(write -> !write.isCompletedExceptionally());

        // Whatever the interleaving left, create-or-set still works on it.
        a.saveTasks(fence, tasks).get(30, TimeUnit.SECONDS);
        for (TaskRecord task : tasks) {
            assertThat(b.readTask(task.taskId()).get(30, TimeUnit.SECONDS)).contains(task);
        }
    }
}
