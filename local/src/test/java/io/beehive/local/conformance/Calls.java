package io.beehive.local.conformance;

import java.util.Arrays;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** Builders for the v1 scheduler calls and messages the suite sends. */
final class Calls {

    private Calls() {}

    static FrameworkInfo.Builder framework(String name) {
        return FrameworkInfo.newBuilder().setUser("beehive").setName(name);
    }

    static FrameworkInfo.Builder partitionAware(String name) {
        return framework(name).addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }

    static Call subscribe(FrameworkInfo info) {
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            call.setFrameworkId(info.getId());
        }
        return call.build();
    }

    static Call.Builder base(String frameworkId, Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId));
    }

    static Call teardown(String fw) {
        return base(fw, Call.Type.TEARDOWN).build();
    }

    static Call decline(String fw, Double refuseSeconds, OfferID... offers) {
        Call.Decline.Builder d = Call.Decline.newBuilder().addAllOfferIds(Arrays.asList(offers));
        if (refuseSeconds != null) {
            d.setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        }
        return base(fw, Call.Type.DECLINE).setDecline(d).build();
    }

    static Call revive(String fw) {
        return base(fw, Call.Type.REVIVE).setRevive(Call.Revive.getDefaultInstance()).build();
    }

    static Call suppress(String fw) {
        return base(fw, Call.Type.SUPPRESS).setSuppress(Call.Suppress.getDefaultInstance()).build();
    }

    static Call launch(String fw, List<OfferID> offers, Double refuseSeconds, TaskInfo... tasks) {
        Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOfferIds(offers)
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(Arrays.asList(tasks))));
        if (refuseSeconds != null) {
            accept.setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        }
        return base(fw, Call.Type.ACCEPT).setAccept(accept).build();
    }

    static Call launch(String fw, Offer offer, TaskInfo... tasks) {
        return launch(fw, List.of(offer.getId()), 0.0, tasks);
    }

    static Call acknowledge(String fw, TaskStatus status) {
        return base(fw, Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build();
    }

    static Call kill(String fw, String taskId, String agentId) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId));
        if (agentId != null) {
            kill.setAgentId(AgentID.newBuilder().setValue(agentId));
        }
        return base(fw, Call.Type.KILL).setKill(kill).build();
    }

    static Call reconcileAll(String fw) {
        return base(fw, Call.Type.RECONCILE).setReconcile(Call.Reconcile.getDefaultInstance()).build();
    }

    static Call reconcile(String fw, String taskId, String agentId) {
        Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId));
        if (agentId != null) {
            task.setAgentId(AgentID.newBuilder().setValue(agentId));
        }
        return base(fw, Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder().addTasks(task)).build();
    }

    static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    /** A command task using 0.1 cpus and 32 MB on the offer's agent. */
    static TaskInfo task(String taskId, Offer offer, String command) {
        return TaskInfo.newBuilder().setName(taskId).setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
                .setCommand(CommandInfo.newBuilder().setValue(command).setShell(true))
                .build();
    }
}
