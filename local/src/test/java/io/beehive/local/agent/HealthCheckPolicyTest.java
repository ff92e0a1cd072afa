package io.beehive.local.agent;

import java.time.Duration;
import org.junit.jupiter.api.Test;

import static io.beehive.local.agent.HealthCheckPolicy.Verdict.BECAME_HEALTHY;
import static io.beehive.local.agent.HealthCheckPolicy.Verdict.IGNORED_IN_GRACE;
import static io.beehive.local.agent.HealthCheckPolicy.Verdict.STILL_HEALTHY;
import static io.beehive.local.agent.HealthCheckPolicy.Verdict.UNHEALTHY;
import static io.beehive.local.agent.HealthCheckPolicy.Verdict.UNHEALTHY_KILL;
import static org.assertj.core.api.Assertions.assertThat;

/** The rules of Mesos 1.11's health_checker.cpp, one sequence of results at a time. */
class HealthCheckPolicyTest {

    private static Duration s(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    @Test
    void aPassIsReportedOnlyWhenHealthChanges() {
        HealthCheckPolicy policy = new HealthCheckPolicy(s(2), 3);
        assertThat(policy.passed()).isEqualTo(BECAME_HEALTHY);
        assertThat(policy.passed()).isEqualTo(STILL_HEALTHY);
        assertThat(policy.passed()).isEqualTo(STILL_HEALTHY);
        assertThat(policy.failed(s(5))).isEqualTo(UNHEALTHY);
        assertThat(policy.passed()).isEqualTo(BECAME_HEALTHY);
        assertThat(policy.passed()).isEqualTo(STILL_HEALTHY);
    }

    @Test
    void failuresInsideTheGraceAreIgnoredUntilTheFirstPass_theBoundIsInclusive() {
        HealthCheckPolicy policy = new HealthCheckPolicy(s(2), 3);
        assertThat(policy.failed(s(1.1))).isEqualTo(IGNORED_IN_GRACE);
        assertThat(policy.failed(s(2))).isEqualTo(IGNORED_IN_GRACE);
        assertThat(policy.consecutiveFailures()).isZero();
        assertThat(policy.failed(s(2.1))).isEqualTo(UNHEALTHY);
        assertThat(policy.failed(s(3.1))).isEqualTo(UNHEALTHY);
        assertThat(policy.failed(s(4.1))).isEqualTo(UNHEALTHY_KILL);
        assertThat(policy.consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void onceHealthyAFailureInsideTheGraceCounts() {
        HealthCheckPolicy policy = new HealthCheckPolicy(s(60), 2);
        assertThat(policy.passed()).isEqualTo(BECAME_HEALTHY);
        assertThat(policy.failed(s(1))).isEqualTo(UNHEALTHY);
        assertThat(policy.failed(s(2))).isEqualTo(UNHEALTHY_KILL);
    }

    @Test
    void aPassResetsTheConsecutiveFailures() {
        HealthCheckPolicy policy = new HealthCheckPolicy(Duration.ZERO, 2);
        assertThat(policy.failed(s(0.1))).as("no grace: the first failure counts").isEqualTo(UNHEALTHY);
        assertThat(policy.passed()).isEqualTo(BECAME_HEALTHY);
        assertThat(policy.failed(s(1))).isEqualTo(UNHEALTHY);
        assertThat(policy.failed(s(2))).isEqualTo(UNHEALTHY_KILL);
    }

    @Test
    void everyFailureFromTheKillingOneOnAsksForTheKill() {
        // the executor stops checking at the kill; if it did not, Mesos would ask again (>=, not ==)
        HealthCheckPolicy policy = new HealthCheckPolicy(Duration.ZERO, 1);
        assertThat(policy.failed(s(1))).isEqualTo(UNHEALTHY_KILL);
        assertThat(policy.failed(s(2))).isEqualTo(UNHEALTHY_KILL);
    }
}
