package io.beehive.scheduler.mesos;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.util.Collection;
import java.util.List;

/**
 * Builders for every scheduler call. They leave {@code framework_id} unset: {@link MesosClient#call} fills it with
 * the id of the current subscription, so callers cannot send a call for a stale framework by mistake.
 */
public final class SchedulerCalls {

    private SchedulerCalls() {}

    public static Call.Builder accept(Collection<OfferID> offerIds, Collection<Operation> operations, Filters filters) {
        Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOfferIds(offerIds).addAllOperations(operations);
        if (filters != null) {
            accept.setFilters(filters);
        }
        return Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept);
    }

    /** ACCEPT with one LAUNCH operation carrying the given tasks. */
    public static Call.Builder launch(Collection<OfferID> offerIds, Collection<TaskInfo> tasks, Filters filters) {
        Operation launch = Operation.newBuilder()
                .setType(Operation.Type.LAUNCH)
                .setLaunch(Operation.Launch.newBuilder().addAllTaskInfos(tasks))
                .build();
        return accept(offerIds, List.of(launch), filters);
    }

    public static Call.Builder decline(Collection<OfferID> offerIds, Filters filters) {
        Call.Decline.Builder decline = Call.Decline.newBuilder().addAllOfferIds(offerIds);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return Call.newBuilder().setType(Call.Type.DECLINE).setDecline(decline);
    }

    /** @param roles empty = all the framework's roles */
    public static Call.Builder revive(Collection<String> roles) {
        return Call.newBuilder().setType(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addAllRoles(roles));
    }

    /** @param roles empty = all the framework's roles */
    public static Call.Builder suppress(Collection<String> roles) {
        return Call.newBuilder().setType(Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder().addAllRoles(roles));
    }

    /** @param agentId may be null when unknown */
    public static Call.Builder kill(TaskID taskId, AgentID agentId) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            kill.setAgentId(agentId);
        }
        return Call.newBuilder().setType(Call.Type.KILL).setKill(kill);
    }

    public static Call.Builder shutdown(ExecutorID executorId, AgentID agentId) {
        return Call.newBuilder().setType(Call.Type.SHUTDOWN)
                .setShutdown(Call.Shutdown.newBuilder().setExecutorId(executorId).setAgentId(agentId));
    }

    public static Call.Builder acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
        if (uuid == null || uuid.isEmpty()) {
            throw new IllegalArgumentException("status update of " + taskId.getValue()
                    + " has no uuid: such updates must not be acknowledged");
        }
        return Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(agentId).setTaskId(taskId).setUuid(uuid));
    }

    /** Explicit reconciliation of the given tasks; an empty collection is implicit reconciliation ({@code "reconcile": {}}). */
    public static Call.Builder reconcile(Collection<Call.Reconcile.Task> tasks) {
        // setReconcile with an empty message still marks the field present, which the master requires.
        return Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder().addAllTasks(tasks));
    }

    public static Call.Reconcile.Task reconcileTask(TaskID taskId, AgentID agentId) {
        Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            task.setAgentId(agentId);
        }
        return task.build();
    }

    public static Call.Builder message(AgentID agentId, ExecutorID executorId, byte[] data) {
        return Call.newBuilder().setType(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                .setAgentId(agentId).setExecutorId(executorId).setData(ByteString.copyFrom(data)));
    }

    public static Call.Builder teardown() {
        return Call.newBuilder().setType(Call.Type.TEARDOWN);
    }
}
