package io.beehive.scheduler.core.term;

import io.beehive.state.record.BackoffPolicy;
import io.beehive.state.record.CrashLoopGuard;
import io.beehive.state.record.RestartPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTrackerTest {
    private final RestartPolicy policy = new RestartPolicy(3, new BackoffPolicy(100, 10_000, 2.0),
            new CrashLoopGuard(4, 60_000));

    @Test
    void backsOffExponentiallyThenWaitsTheMaximumWhenCrashLooping() {
        RestartTracker r = new RestartTracker();
        assertThat(r.ready("s", 0)).isTrue();
        assertThat(r.failed("s", policy, 1000)).isEqualTo(1100);
        assertThat(r.ready("s", 1099)).isFalse();
        assertThat(r.ready("s", 1100)).isTrue();
        assertThat(r.failed("s", policy, 2000)).isEqualTo(2200);
        assertThat(r.failed("s", policy, 3000)).isEqualTo(3400);
        assertThat(r.failed("s", policy, 4000)).isEqualTo(14_000); // 4 failures in the window: crash loop
        assertThat(r.ready("other", 0)).isTrue();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        RestartTracker r = new RestartTracker();
        r.failed("s", policy, 0);
        r.failed("s", policy, 1);
        assertThat(r.failed("s", policy, 120_000)).isEqualTo(120_100);
    }
}
