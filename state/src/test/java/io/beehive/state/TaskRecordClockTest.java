package io.beehive.state;

import io.beehive.state.record.LastStatus;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code updatedAtMillis} is when the task entered its state: minReadySeconds, the unreachable wait and the staging
 * timeout all run from it, so an update that only repeats the state must not start them again.
 */
class TaskRecordClockTest {
    private static final LastStatus HEALTH_RESULT = new LastStatus("0b7c1d9e-3f2a-4c5b-8d6e-7f8091a2b3c4", null,
            "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "SOURCE_EXECUTOR", 1_800_000_000_000L);

    @Test
    void anUpdateRepeatingTheStateKeepsTheTimeTheStateWasEntered() {
        TaskRecord running = Records.task(1);
        long enteredRunning = running.updatedAtMillis();

        TaskRecord afterHealthResult = running.withStatus(TaskState.TASK_RUNNING, HEALTH_RESULT, false, enteredRunning + 60_000);

        assertThat(afterHealthResult.updatedAtMillis()).as("RUNNING again, a minute later").isEqualTo(enteredRunning);
        assertThat(afterHealthResult.lastStatus()).isEqualTo(HEALTH_RESULT);
        assertThat(afterHealthResult.healthy()).isFalse();
        assertThat(afterHealthResult.healthChangedAtMillis()).as("the health has its own clock").isEqualTo(enteredRunning + 60_000);
    }

    @Test
    void aNewStateStartsTheClock() {
        TaskRecord running = Records.task(2);
        long now = running.updatedAtMillis() + 5_000;

        TaskRecord unreachable = running.withStatus(TaskState.TASK_UNREACHABLE, HEALTH_RESULT, now);
        TaskRecord unreachableAgain = unreachable.withStatus(TaskState.TASK_UNREACHABLE, HEALTH_RESULT, now + 9_000);

        assertThat(unreachable.updatedAtMillis()).isEqualTo(now);
        assertThat(unreachableAgain.updatedAtMillis()).as("the unreachable wait does not start again").isEqualTo(now);
    }
}
