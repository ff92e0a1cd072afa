package io.beehive.scheduler.core.term;

import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the book remembers about records that are ahead of ZooKeeper, and that it forgets them with the record. */
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
}
