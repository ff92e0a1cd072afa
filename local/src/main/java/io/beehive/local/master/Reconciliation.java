package io.beehive.local.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Answers to RECONCILE (spec §3.5): implicit = the framework's active set; explicit = the six cases with the
 * partition-aware mapping, and silence while the named agent (or, without one, any agent) is still "recovered".
 */
final class Reconciliation {

    private Reconciliation() {}

    /** The answers to a RECONCILE call, in order; an entry the master must stay silent about has none. */
    static List<TaskStatus> answers(Framework fw, List<Call.Reconcile.Task> requested, Map<String, AgentRecord> agents) {
        List<TaskStatus> answers = new ArrayList<>();
        if (requested.isEmpty()) {
            for (MasterTask task : fw.tasks.values()) {
                answers.add(latestState(task));
            }
        } else {
            boolean anyRecovered = agents.values().stream().anyMatch(a -> a.state == AgentRecord.State.RECOVERED);
            for (Call.Reconcile.Task entry : requested) {
                String taskId = entry.getTaskId().getValue();
                MasterTask task = fw.tasks.get(taskId);
                if (task != null) {
                    answers.add(latestState(task));
                    continue;
                }
                String agentId = entry.hasAgentId() ? entry.getAgentId().getValue() : null;
                AgentRecord rec = agentId == null ? null : agents.get(agentId);
                if ((rec != null && rec.state == AgentRecord.State.RECOVERED) || (agentId == null && anyRecovered)) {
                    continue; // the agent may still report it: stay silent, the scheduler retries
                }
                boolean pa = fw.partitionAware();
                TaskStatus.Builder status;
                if (rec != null && (rec.state == AgentRecord.State.ACTIVE || rec.state == AgentRecord.State.DISCONNECTED)) {
                    status = Master.masterStatus(entry.getTaskId(), pa ? TaskState.TASK_GONE : TaskState.TASK_LOST,
                        "Reconciliation: Task is unknown to the agent", TaskStatus.Reason.REASON_RECONCILIATION, agentId);
                } else if (rec != null && rec.state == AgentRecord.State.UNREACHABLE) {
                    status = Master.masterStatus(entry.getTaskId(), pa ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST,
                        "Reconciliation: Task is unreachable", TaskStatus.Reason.REASON_RECONCILIATION, agentId)
                        .setUnreachableTime(TimeInfo.newBuilder().setNanoseconds((long) (rec.unreachableTime * 1e9)));
                } else if (rec != null && rec.state == AgentRecord.State.GONE) {
                    status = Master.masterStatus(entry.getTaskId(), pa ? TaskState.TASK_GONE_BY_OPERATOR : TaskState.TASK_LOST,
                        "Reconciliation: Task is gone", TaskStatus.Reason.REASON_RECONCILIATION, agentId);
                } else {
                    status = Master.masterStatus(entry.getTaskId(), pa ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST,
                        "Reconciliation: Task is unknown", TaskStatus.Reason.REASON_RECONCILIATION, agentId);
                }
                answers.add(status.build());
            }
        }
        return answers;
    }

    private static TaskStatus latestState(MasterTask task) {
        TaskStatus.Builder status = Master.masterStatus(task.info.getTaskId(), task.reportedState(),
            "Reconciliation: Latest task state", TaskStatus.Reason.REASON_RECONCILIATION, task.agentId);
        copyDetails(task.lastForwarded != null ? task.lastForwarded : task.latestStatus, status);
        return status.build();
    }

    static void copyDetails(TaskStatus from, TaskStatus.Builder to) {
        if (from == null) {
            return;
        }
        if (from.hasHealthy()) {
            to.setHealthy(from.getHealthy());
        }
        if (from.hasCheckStatus()) {
            to.setCheckStatus(from.getCheckStatus());
        }
        if (from.hasContainerStatus()) {
            to.setContainerStatus(from.getContainerStatus());
        }
    }

}
