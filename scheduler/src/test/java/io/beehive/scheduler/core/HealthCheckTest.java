package io.beehive.scheduler.core;

import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.HealthCheckType;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health checks end to end on the local cluster: the job's check reaches the agent's executor, its results reach
 * the task records (durably), and an instance its executor kills for failing is replaced like any failed task.
 */
class HealthCheckTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    HealthCheckTest() {
        super(1);
    }

    @Test
    void aPassingCheckMarksTheTaskHealthyDurably() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        HealthCheckSpec tcp = new HealthCheckSpec(HealthCheckType.TCP, null, 0, null, 0.5, 0.5, 2, 3, 5);
        s.createJob(service("web", 1, "exec python3 -m http.server $PORT0 --bind 127.0.0.1", 1, tcp,
                UpgradeStrategy.DEFAULT)).get(10, TimeUnit.SECONDS);
        TaskRecord healthy = await().atMost(WAIT).until(() -> s.tasksOf("web").stream()
                .filter(t -> Boolean.TRUE.equals(t.healthy())).findFirst().orElse(null), t -> t != null);
        assertThat(healthy.healthChecked()).isTrue();
        assertThat(healthy.healthChangedAtMillis()).isNotNull();
        TaskRecord stored = zk.readTask(healthy.taskId()).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(stored.healthy()).isTrue();
        assertThat(stored.state()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void anInstanceKilledForFailingItsCheckIsReplacedWithBackoff() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        HealthCheckSpec failing = new HealthCheckSpec(HealthCheckType.COMMAND, "false", null, null, 0.2, 0.2, 2, 2,
                0);
        s.createJob(service("sick", 1, "sleep 600", 0, failing, UpgradeStrategy.DEFAULT)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> s.tasksOf("sick").size() >= 2);

        List<TaskRecord> tasks = s.tasksOf("sick").stream()
                .sorted(java.util.Comparator.comparingInt(TaskRecord::attempt)).toList();
        TaskRecord first = tasks.get(0);
        await().atMost(WAIT).until(() -> s.tasksOf("sick").stream().anyMatch(t -> t.taskId().equals(first.taskId())
                && t.state() == TaskState.TASK_KILLED));
        TaskRecord killed = zk.readTask(first.taskId()).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.healthy()).as("the executor's last word on it").isFalse();
        assertThat(killed.backoff()).as("a health kill is a failure: the slot backs off").isNotNull();
        assertThat(tasks.get(1).attempt()).isEqualTo(first.attempt() + 1);
        assertThat(tasks.get(1).instance()).isEqualTo(first.instance());
    }
}
