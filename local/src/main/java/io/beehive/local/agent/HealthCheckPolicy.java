package io.beehive.local.agent;

import java.time.Duration;

/**
 * Mesos 1.11's rules for turning check results into health reports (src/checks/health_checker.cpp): a pass is
 * reported only when health changes (the first pass, or the first after failures); a failure inside the grace
 * period is ignored until the task has passed once; every other failure is reported, and the
 * {@code consecutive_failures}-th in a row asks for the task to be killed. Pure state, no clock of its own.
 */
final class HealthCheckPolicy {

    /** What a check result means for the task. */
    enum Verdict {
        /** Report {@code healthy: true}. */
        BECAME_HEALTHY,
        /** Passed again while healthy: nothing to report (the real executor sends no repeats). */
        STILL_HEALTHY,
        /** Failed inside the grace period before the first pass: not counted, not reported. */
        IGNORED_IN_GRACE,
        /** Report {@code healthy: false}. */
        UNHEALTHY,
        /** Report {@code healthy: false}, then kill the task. */
        UNHEALTHY_KILL
    }

    private final Duration gracePeriod;
    private final int consecutiveFailuresToKill;
    private boolean initializing = true;
    private int consecutiveFailures;

    HealthCheckPolicy(Duration gracePeriod, int consecutiveFailuresToKill) {
        this.gracePeriod = gracePeriod;
        this.consecutiveFailuresToKill = consecutiveFailuresToKill;
    }

    Verdict passed() {
        boolean report = initializing || consecutiveFailures > 0;
        initializing = false;
        consecutiveFailures = 0;
        return report ? Verdict.BECAME_HEALTHY : Verdict.STILL_HEALTHY;
    }

    /** @param sinceStart time from the checker's start (the task's launch) to this result */
    Verdict failed(Duration sinceStart) {
        // as Mesos: inclusive bound, and a zero grace period ignores nothing
        if (initializing && !gracePeriod.isZero() && sinceStart.compareTo(gracePeriod) <= 0) {
            return Verdict.IGNORED_IN_GRACE;
        }
        consecutiveFailures++;
        return consecutiveFailures >= consecutiveFailuresToKill ? Verdict.UNHEALTHY_KILL : Verdict.UNHEALTHY;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }
}
