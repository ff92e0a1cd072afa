package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FencedWriteTest extends LeaderTestBase {
    @Test
    void aWriteWhoseFenceIsGoneFailsAsNotLeaderAndLandsNothing() throws Exception {
        Fence fence = ZooKeeperFixture.fence(client);
        client.delete().forPath(fence.latchPath());
        List<TaskRecord> tasks = IntStream.range(0, 20).mapToObj(Records::task).toList();

        assertThatThrownBy(() -> store.write(fence, store.batch().putTasks(tasks).putJob(Records.job("j"))
                .putFrameworkId("fw-1")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NotLeaderException.class).hasMessageContaining(fence.latchPath());

        assertNothingLanded(tasks);
    }

    @Test
    void aWriteAfterTheSessionExpiredIsRejectedEvenThoughTheClientReconnected() throws Exception {
        Fence fence = ZooKeeperFixture.fence(client);
        TaskRecord before = Records.task(100);
        store.saveTasks(fence, List.of(before)).get(30, TimeUnit.SECONDS);

        ZooKeeperFixture.expireSession(client);
        assertThat(client.checkExists().forPath(fence.latchPath())).isNull();

        List<TaskRecord> tasks = IntStream.range(0, 20).mapToObj(Records::task).toList();
        assertThatThrownBy(() -> store.write(fence, store.batch().putTasks(tasks).deleteTask(before.taskId())
                .putJob(Records.job("j")).putFrameworkId("fw-1")).get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(NotLeaderException.class);

        assertNothingLanded(tasks);
        assertThat(store.readTask(before.taskId()).get(30, TimeUnit.SECONDS)).contains(before);

        // The same client with a fence of its new session writes again.
        Fence renewed = ZooKeeperFixture.fence(client);
        assertThat(renewed.epoch()).isGreaterThan(fence.epoch());
        store.saveTasks(renewed, tasks).get(30, TimeUnit.SECONDS);
        assertThat(store.readTask(tasks.get(0).taskId()).get(30, TimeUnit.SECONDS)).contains(tasks.get(0));
    }

    @Test
    void aSplitBatchFailsAsNotLeaderPartWayWithoutLandingTheRest() throws Exception {
        Fence fence = ZooKeeperFixture.fence(client);
        client.delete().forPath(fence.latchPath());
        List<TaskRecord> tasks = IntStream.range(0, 3_000).mapToObj(Records::task).toList();
        assertThatThrownBy(() -> store.saveTasks(fence, tasks).get(60, TimeUnit.SECONDS))
                .cause().isInstanceOf(NotLeaderException.class);
        assertNothingLanded(tasks);
    }

    private void assertNothingLanded(List<TaskRecord> tasks) throws Exception {
        for (TaskRecord task : tasks) {
            assertThat(client.checkExists().forPath(store.layout().task(task.taskId()))).isNull();
        }
        assertThat(client.getChildren().forPath("/beehive/jobs")).isEmpty();
        assertThat(client.checkExists().forPath("/beehive/framework-id")).isNull();
    }
}
