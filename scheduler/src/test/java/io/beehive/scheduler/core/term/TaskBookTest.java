package io.beehive.scheduler.core.term;

import io.beehive.state.record.SlotBackoff;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the book remembers about records that are ahead of ZooKeeper, and that it forgets them with the record; which
 * tasks it counts as live and as backing off, as their records change.
 */
class TaskBookTest {

    private static TaskRecord task(String id, String job) {
        return new TaskRecord(id, job, 0, "a", "h", TaskState.TASK_FAILED, null, 1, 1, null, 0, 0, null);
    }

    @Test
    void aFailedWriteMarksTheRecordAheadUntilAWriteLands() {
        TaskBook book = new TaskBook(List.of(), List.of(task("t", "j")), List.of());
        book.writeAnswered("t", false);
        assertThat(book.isAheadOfStore("t")).isTrue();
        book.writeAnswered("t", true);
        assertThat(book.isAheadOfStore("t")).isFalse();
    }

    @Test
    void aPrunedOrDeletedRecordTakesItsMarkWithIt() {
        TaskBook book = new TaskBook(List.of(), List.of(task("pruned", "j"), task("deleted", "k")), List.of());
        book.writeAnswered("pruned", false);
        book.writeAnswered("deleted", false);
        book.removeTask("pruned");
        book.removeJob("k");
        assertThat(book.isAheadOfStore("pruned")).isFalse();
        assertThat(book.isAheadOfStore("deleted")).isFalse();
        // A late answer for a record already gone does not bring the mark back.
        book.writeAnswered("pruned", false);
        assertThat(book.isAheadOfStore("pruned")).isFalse();
    }

    private static TaskRecord task(String id, String job, TaskState state) {
        return new TaskRecord(id, job, 0, "a", "h", state, null, 1, 1, null, 0, 0, null);
    }

    private static List<String> ids(java.util.Collection<TaskRecord> tasks) {
        return tasks.stream().map(TaskRecord::taskId).sorted().toList();
    }

    @Test
    void liveTasksFollowEveryChangeOfState() {
        TaskBook book = new TaskBook(List.of(), List.of(task("running", "j", TaskState.TASK_RUNNING),
                task("finished", "j", TaskState.TASK_FINISHED), task("unknown", "j", TaskState.TASK_UNKNOWN),
                task("staging", "k", TaskState.TASK_STAGING)), List.of());
        assertThat(ids(book.liveTasks())).containsExactly("running", "staging");

        book.putTask(task("running", "j", TaskState.TASK_KILLED));
        book.putTask(task("launched", "j", TaskState.TASK_STAGING));
        assertThat(ids(book.liveTasks())).containsExactly("launched", "staging");
        // The live record is the latest one, not the one first seen.
        book.putTask(task("launched", "j", TaskState.TASK_RUNNING));
        assertThat(book.liveTasks()).extracting(TaskRecord::state).containsOnly(TaskState.TASK_RUNNING,
                TaskState.TASK_STAGING);
        assertThat(book.liveTasks()).filteredOn(t -> t.taskId().equals("launched"))
                .extracting(TaskRecord::state).containsExactly(TaskState.TASK_RUNNING);

        book.removeTask("staging");
        assertThat(ids(book.liveTasks())).containsExactly("launched");
        book.removeJob("j");
        assertThat(book.liveTasks()).isEmpty();
    }

    @Test
    void tasksWithBackoffAreThoseWhoseLatestRecordCarriesOne() {
        SlotBackoff backoff = new SlotBackoff(5000, List.of(1000L));
        TaskRecord failed = task("failed", "j").withBackoff(backoff);
        TaskBook book = new TaskBook(List.of(), List.of(failed, task("plain", "j"),
                task("other", "k").withBackoff(backoff)), List.of());
        assertThat(ids(book.tasksWithBackoff())).containsExactly("failed", "other");

        book.putTask(task("failed", "j")); // its record rewritten without the backoff
        assertThat(ids(book.tasksWithBackoff())).containsExactly("other");
        book.putTask(task("plain", "j").withBackoff(backoff));
        assertThat(ids(book.tasksWithBackoff())).containsExactly("other", "plain");

        book.removeJob("k");
        book.removeTask("plain");
        assertThat(book.tasksWithBackoff()).isEmpty();
    }
}
