package io.beehive.scheduler.core.term;

import io.beehive.state.record.JobKind;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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
}
