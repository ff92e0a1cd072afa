package io.beehive.scheduler.core;

import io.beehive.state.record.DesiredState;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Unreachable tasks (PARTITION_AWARE): replaced after the configured wait; if they come back they are killed. */
class UnreachableTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    UnreachableTest() {
        super(2);
    }

    @Test
    void anUnreachableTaskIsReplacedAfterTheWaitAndKilledWhenItReturns() throws Exception {
        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().unreachableReplaceAfter(Duration.ofSeconds(2))
                .build());
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        s.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 1);
        TaskRecord original = runningTasks(s, "web").get(0);

        fx.cluster.markAgentUnreachable(original.agentId());
        await().atMost(WAIT).until(() -> s.tasksOf("web").stream().anyMatch(t ->
                t.taskId().equals(original.taskId()) && t.state() == TaskState.TASK_UNREACHABLE));
        // Within the wait, the unreachable task still holds its slot: no replacement yet.
        assertThat(s.tasksOf("web")).hasSize(1);

        await().atMost(WAIT).until(() -> running(s, "web") == 1
                && !runningTasks(s, "web").get(0).taskId().equals(original.taskId()));
        assertThat(runningTasks(s, "web").get(0).agentId()).isNotEqualTo(original.agentId());
        TaskRecord old = s.tasksOf("web").stream().filter(t -> t.taskId().equals(original.taskId())).findFirst()
                .orElseThrow();
        assertThat(old.desiredState()).isEqualTo(DesiredState.KILLED);

        fx.cluster.healAgent(original.agentId());
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().size() == 1 && running(s, "web") == 1);
        assertThat(fx.liveMasterTasks().get(0).taskId()).isEqualTo(runningTasks(s, "web").get(0).taskId());
    }
}
