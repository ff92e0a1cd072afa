package io.beehive.local.agent;

import io.beehive.local.master.EventLoop;
import java.time.Duration;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * Runs a task's {@code health_check} the way the Mesos 1.11 command executor does: timing by a
 * {@link ProbeSchedule}, results judged by a {@link HealthCheckPolicy} and handed to the {@link Listener}, one
 * line per result in the sandbox log with the executor's wording. Owned by the task's runner; used on the loop.
 */
final class HealthChecker {

    /** What the executor is told after a check whose result matters (called on the loop). */
    interface Listener {
        void healthChanged(boolean healthy, boolean killTask);
    }

    private final String taskId;
    private final HealthCheckPolicy policy;
    private final SandboxLog log;
    private final Listener listener;
    private final String name;
    private final ProbeSchedule schedule;
    private long startNanos;

    HealthChecker(EventLoop loop, String taskId, HealthCheck check, TaskProbe probe, SandboxLog log,
                  Listener listener) {
        this.taskId = taskId;
        this.policy = new HealthCheckPolicy(ProbeSchedule.seconds(check.getGracePeriodSeconds()),
            check.getConsecutiveFailures());
        this.log = log;
        this.listener = listener;
        this.name = probe.kind() + " health check";
        // Mesos: a timeout of zero means none
        Duration timeout = check.getTimeoutSeconds() > 0 ? ProbeSchedule.seconds(check.getTimeoutSeconds()) : null;
        this.schedule = new ProbeSchedule(loop, probe, ProbeSchedule.seconds(check.getDelaySeconds()),
            ProbeSchedule.seconds(check.getIntervalSeconds()), timeout, this::judge);
    }

    /** Starts the clock of the grace period and schedules the first check. */
    void start() {
        startNanos = System.nanoTime();
        schedule.start();
    }

    /** No check starts and no result is reported after this; a check process in flight is killed. */
    void stop() {
        if (!schedule.stopped()) {
            schedule.stop();
            log.line("Stopped " + name + " for task '" + taskId + "'");
        }
    }

    private void judge(TaskProbe.Outcome outcome) {
        String ofTask = name + " for task '" + taskId + "'";
        if (outcome.returned() != null) {
            log.line(ofTask + " returned: " + outcome.returned());
        }
        HealthCheckPolicy.Verdict verdict;
        if (outcome.passed()) {
            verdict = policy.passed();
        } else {
            log.line(ofTask + " failed: " + outcome.failure());
            verdict = policy.failed(Duration.ofNanos(System.nanoTime() - startNanos));
        }
        switch (verdict) {
            case BECAME_HEALTHY -> listener.healthChanged(true, false);
            case STILL_HEALTHY -> { }
            case IGNORED_IN_GRACE -> log.line("Ignoring failure of " + ofTask + ": still in grace period");
            case UNHEALTHY, UNHEALTHY_KILL -> {
                log.line(ofTask + " failed " + policy.consecutiveFailures() + " times consecutively");
                listener.healthChanged(false, verdict == HealthCheckPolicy.Verdict.UNHEALTHY_KILL);
            }
        }
    }
}
