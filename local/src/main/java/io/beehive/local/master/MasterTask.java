package io.beehive.local.master;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.util.ArrayList;
import java.util.List;

/** The master's record of a launched task. */
final class MasterTask {

    final String frameworkId;
    final String agentId;
    final TaskInfo info;
    final ResourceBag resources;
    /** The agent's latest state: may be ahead of what the scheduler has been sent. */
    TaskState state = TaskState.TASK_STAGING;
    /** The most recent status forwarded to the scheduler (null until the first one). */
    TaskStatus lastForwarded;
    /** The latest status the agent reported (for reconciliation details). */
    TaskStatus latestStatus;
    ByteString statusUpdateUuid;
    /**
     * The statuses the agent reported, as a real master keeps them in {@code Task.statuses}: a status replaces the
     * last one when it has the same state (so health updates do not pile up), without its {@code data}.
     */
    final List<TaskStatus> statuses = new ArrayList<>();
    double unreachableTime;
    /** Whether the master's {@code tasks_<terminal state>} counter has counted this task. */
    boolean countedTerminal;

    MasterTask(String frameworkId, String agentId, TaskInfo info, ResourceBag resources) {
        this.frameworkId = frameworkId;
        this.agentId = agentId;
        this.info = info;
        this.resources = resources;
    }

    String id() {
        return info.getTaskId().getValue();
    }

    /** Keeps {@code status} in {@link #statuses} (Mesos' {@code Master::updateTask}). */
    void recordStatus(TaskStatus status) {
        if (!statuses.isEmpty() && statuses.get(statuses.size() - 1).getState() == status.getState()) {
            statuses.remove(statuses.size() - 1);
        }
        statuses.add(status.toBuilder().clearData().build());
    }

    /** State reported by reconciliation: the state last sent to the scheduler, else the task's state. */
    TaskState reportedState() {
        return lastForwarded != null ? lastForwarded.getState() : state;
    }

    static boolean isTerminal(TaskState s) {
        return switch (s) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    boolean consumesResources() {
        return !isTerminal(state) && state != TaskState.TASK_UNREACHABLE;
    }
}
