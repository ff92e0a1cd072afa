package io.beehive.scheduler.core.term;

import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Deployment;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryPrunerTest {

    private static TaskRecord task(String id, int instance, TaskState state, long updated) {
        return new TaskRecord(id, "j", instance, "a", "h", state, null, updated, updated, null, 0, 0, null);
    }

    @Test
    void keepsTheNewestTerminalRecordsUpToTheCountAndNeverLiveOnes() {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(task("f" + i, 0, TaskState.TASK_FAILED, 1000 + i));
        }
        tasks.add(task("live", 0, TaskState.TASK_RUNNING, 1));
        List<String> pruned = HistoryPruner.prunable(tasks, 5, 1_000_000, 2000);
        assertThat(pruned).hasSize(15).doesNotContain("live", "f19", "f18", "f17", "f16", "f15");
    }

    @Test
    void dropsOldRecordsButKeepsTheNewestOfEachInstance() {
        List<TaskRecord> tasks = List.of(task("old0", 0, TaskState.TASK_FINISHED, 10),
                task("older0", 0, TaskState.TASK_FAILED, 5), task("old1", 1, TaskState.TASK_LOST, 8),
                task("fresh", 2, TaskState.TASK_KILLED, 990));
        List<String> pruned = HistoryPruner.prunable(tasks, 100, 100, 1000);
        assertThat(pruned).containsExactly("older0");
    }

    @Test
    void zeroHistoryStillKeepsOneRecordPerInstance() {
        List<TaskRecord> tasks = List.of(task("a", 0, TaskState.TASK_FAILED, 10), task("b", 0, TaskState.TASK_FAILED, 20));
        assertThat(HistoryPruner.prunable(tasks, 0, 1_000_000, 30)).containsExactly("a");
    }

    @Test
    void aDaemonKeepsTheNewestRecordOfEachAgentItsBackoffLivesThere() {
        List<TaskRecord> tasks = List.of(
                new TaskRecord("x1", "j", 0, "agent-x", "h", TaskState.TASK_FAILED, null, 10, 10, null, 0, 0, null),
                new TaskRecord("x2", "j", 0, "agent-x", "h", TaskState.TASK_FAILED, null, 20, 20, null, 0, 1, null),
                new TaskRecord("y1", "j", 0, "agent-y", "h", TaskState.TASK_FAILED, null, 15, 15, null, 0, 0, null));
        assertThat(HistoryPruner.prunable(JobKind.DAEMON, tasks, 0, 1_000_000, 30)).containsExactly("x1");
        // Keyed by instance alone, agent-y's only record would have gone.
        assertThat(HistoryPruner.prunable(JobKind.SERVICE, tasks, 0, 1_000_000, 30)).containsExactlyInAnyOrder("x1", "y1");
    }
    @Test
    void theFailuresADeploymentInProgressCountsStayUntilItEnds() {
        // a deployment to run version 2 started at 0: two new instances failed, then it killed 20 old ones
        List<TaskRecord> tasks = new ArrayList<>();
        tasks.add(new TaskRecord("new-1", "j", 1, "a", "h", TaskState.TASK_FAILED, null, 10, 100,
                DesiredState.RUNNING, 0, 1, null, null, null, 2, false, null, null));
        tasks.add(new TaskRecord("new-2", "j", 2, "a", "h", TaskState.TASK_FAILED, null, 10, 200,
                DesiredState.RUNNING, 0, 1, null, null, null, 2, false, null, null));
        for (int i = 0; i < 20; i++) {
            tasks.add(new TaskRecord("old-" + i, "j", i, "a", "h", TaskState.TASK_KILLED, null, 0, 1000 + i,
                    DesiredState.KILLED, 1, 0, null, 1000L, null, 1, false, null, null));
        }
        JobRecord deploying = new JobRecord("j", JobKind.SERVICE, CommandSpec.shell("v2"), Map.of(),
                new ResourceSpec(0.1, 1, 0, 0), 20, List.of(), RestartPolicy.DEFAULT, 0, JobGoal.RUNNING, 3, 0, 0,
                null, new UpgradeStrategy(1.0, 0.2, 0, 3, 600), 2, null,
                Deployment.start("j", DeploymentKind.UPDATE, 1, 2, 0, 3, "test"), null);

        // by count alone both failures go: ten newer records, and a newer one in each of their instances
        assertThat(HistoryPruner.prunable(JobKind.SERVICE, tasks, 10, 1_000_000, 2000))
                .containsExactlyInAnyOrder("new-1", "new-2");
        assertThat(HistoryPruner.prunable(deploying, tasks, 10, 1_000_000, 2000)).isEmpty();
        JobRecord done = deploying.withDeployment(null, null, 3000);
        assertThat(HistoryPruner.prunable(done, tasks, 10, 1_000_000, 2000)).containsExactlyInAnyOrder("new-1", "new-2");
    }
}
