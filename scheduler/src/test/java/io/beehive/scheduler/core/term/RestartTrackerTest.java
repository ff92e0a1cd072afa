package io.beehive.scheduler.core.term;

import io.beehive.state.record.BackoffPolicy;
import io.beehive.state.record.CrashLoopGuard;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.SlotBackoff;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTrackerTest {
    private final RestartPolicy policy = new RestartPolicy(3, new BackoffPolicy(100, 10_000, 2.0),
            new CrashLoopGuard(4, 60_000));

    @Test
    void backsOffExponentiallyThenWaitsTheMaximumWhenCrashLooping() {
        RestartTracker r = new RestartTracker();
        assertThat(r.ready("s", 0)).isTrue();
        assertThat(r.failed("s", policy, 1000).notBeforeMillis()).isEqualTo(1100);
        assertThat(r.ready("s", 1099)).isFalse();
        assertThat(r.ready("s", 1100)).isTrue();
        assertThat(r.failed("s", policy, 2000).notBeforeMillis()).isEqualTo(2200);
        assertThat(r.failed("s", policy, 3000).notBeforeMillis()).isEqualTo(3400);
        assertThat(r.failed("s", policy, 4000).notBeforeMillis()).isEqualTo(14_000); // 4 failures in the window: crash loop
        assertThat(r.ready("other", 0)).isTrue();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        RestartTracker r = new RestartTracker();
        r.failed("s", policy, 0);
        r.failed("s", policy, 1);
        assertThat(r.failed("s", policy, 120_000).notBeforeMillis()).isEqualTo(120_100);
    }

    @Test
    void aNewLeaderRestoresTheBackoffAndTheCrashLoopGuardFromTheFailedRecords() {
        RestartTracker before = new RestartTracker();
        before.failed("web#0", policy, 1000);
        before.failed("web#0", policy, 2000);
        SlotBackoff third = before.failed("web#0", policy, 3000);
        assertThat(third.recentFailuresMillis()).containsExactly(1000L, 2000L, 3000L);

        JobRecord job = new JobRecord("web", JobKind.SERVICE, CommandSpec.shell("false"), Map.of(),
                new ResourceSpec(0.1, 16, 0, 0), 1, List.of(), policy, 0, null, 1, 0, 0);
        TaskRecord failed = new TaskRecord("web.0.c", "web", 0, "S1", "h", TaskState.TASK_FAILED, null, 0, 3000,
                DesiredState.RUNNING, 0, 2, List.of()).withBackoff(third);
        TaskRecord older = new TaskRecord("web.0.b", "web", 0, "S1", "h", TaskState.TASK_FAILED, null, 0, 2000,
                DesiredState.RUNNING, 0, 1, List.of()).withBackoff(new SlotBackoff(2200, List.of(1000L, 2000L)));
        RestartTracker after = new RestartTracker();
        assertThat(after.restore(new TaskBook(List.of(job), List.of(older, failed), List.of()))).isEqualTo(1);

        assertThat(after.ready("web#0", 3399)).isFalse();
        assertThat(after.ready("web#0", 3400)).isTrue();
        // The fourth failure trips the guard exactly as it would have on the old leader.
        assertThat(after.failed("web#0", policy, 4000).notBeforeMillis()).isEqualTo(14_000);
    }
}
