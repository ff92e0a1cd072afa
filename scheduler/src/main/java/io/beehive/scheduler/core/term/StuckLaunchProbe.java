package io.beehive.scheduler.core.term;

import io.beehive.scheduler.mesos.SchedulerCalls;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds tasks stuck launching (STAGING or STARTING longer than the staging timeout) and asks Mesos about each by
 * explicit reconciliation, at most once per timeout: a LAUNCH that never arrived (lost call, failed write) then
 * comes back as TASK_UNKNOWN/GONE and is replaced, instead of holding its slot for ever.
 */
final class StuckLaunchProbe {
    private final Duration stagingTimeout;
    private final Map<String, Long> lastProbeNanos = new HashMap<>();

    StuckLaunchProbe(Duration stagingTimeout) {
        this.stagingTimeout = stagingTimeout;
    }

    /** Adds a reconcile entry to {@code probes} if the task is stuck and was not asked about recently. */
    void check(TaskRecord t, long nowMillis, long nowNanos, List<Call.Reconcile.Task> probes) {
        if ((t.state() != TaskState.TASK_STAGING && t.state() != TaskState.TASK_STARTING)
                || nowMillis - t.updatedAtMillis() < stagingTimeout.toMillis()) {
            return;
        }
        Long probed = lastProbeNanos.get(t.taskId());
        if (probed == null || nowNanos - probed >= stagingTimeout.toNanos()) {
            lastProbeNanos.put(t.taskId(), nowNanos);
            probes.add(SchedulerCalls.reconcileTask(TaskID.newBuilder().setValue(t.taskId()).build(),
                    t.agentId() == null ? null : AgentID.newBuilder().setValue(t.agentId()).build()));
        }
    }

    /** The task is terminal: nothing to ask about any more. */
    void forget(String taskId) {
        lastProbeNanos.remove(taskId);
    }
}
