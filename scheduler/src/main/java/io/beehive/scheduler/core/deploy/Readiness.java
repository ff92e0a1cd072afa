package io.beehive.scheduler.core.deploy;

import io.beehive.state.record.DesiredState;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;

/**
 * When an instance counts as serving: RUNNING, wanted, and either reported healthy by its executor (launched with a
 * health check) or RUNNING for {@code minReadySeconds} (launched without one). A task being killed is never ready:
 * from the moment Beehive decides to kill it, it no longer counts towards the capacity floor.
 */
public final class Readiness {
    private Readiness() {
    }

    public static boolean ready(TaskRecord t, UpgradeStrategy strategy, long nowMillis) {
        if (t.state() != TaskState.TASK_RUNNING || t.desiredState() != DesiredState.RUNNING) {
            return false;
        }
        if (t.healthChecked()) {
            return Boolean.TRUE.equals(t.healthy());
        }
        // Without a check the RUNNING update is the record's last change, so its time is when the task began running.
        return nowMillis - t.updatedAtMillis() >= strategy.minReadySeconds() * 1000L;
    }

    /** When a not-yet-ready task without a health check will be ready, or -1 if time alone will not make it so. */
    public static long readyAtMillis(TaskRecord t, UpgradeStrategy strategy) {
        if (t.state() != TaskState.TASK_RUNNING || t.desiredState() != DesiredState.RUNNING || t.healthChecked()) {
            return -1;
        }
        return t.updatedAtMillis() + strategy.minReadySeconds() * 1000L;
    }
}
