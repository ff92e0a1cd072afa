package io.beehive.scheduler.core.launch;

import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

import java.util.List;
import java.util.Map;

/** Builds the TaskInfo Mesos launches from a job and the task record already written for it. */
public final class TaskInfoFactory {
    private TaskInfoFactory() {
    }

    public static TaskInfo build(JobRecord job, TaskRecord task, Offer offer) {
        Resource template = offer.getResourcesCount() > 0 ? offer.getResources(0) : null;
        TaskInfo.Builder info = TaskInfo.newBuilder()
                .setName(job.id())
                .setTaskId(TaskID.newBuilder().setValue(task.taskId()))
                .setAgentId(AgentID.newBuilder().setValue(task.agentId()))
                .addResources(scalar("cpus", job.resources().cpus(), template))
                .addResources(scalar("mem", job.resources().memMb(), template))
                .setCommand(command(job, task.ports()));
        if (job.resources().diskMb() > 0) {
            info.addResources(scalar("disk", job.resources().diskMb(), template));
        }
        if (!task.ports().isEmpty()) {
            Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
            for (int p : task.ports()) {
                ranges.addRange(Value.Range.newBuilder().setBegin(p).setEnd(p));
            }
            info.addResources(like(template).setName("ports").setType(Value.Type.RANGES).setRanges(ranges));
        }
        if (job.healthCheck() != null) {
            info.setHealthCheck(healthCheck(job.healthCheck(), task.ports(), info.getCommand()));
        }
        if (job.killGracePeriodMillis() > 0) {
            info.setKillPolicy(KillPolicy.newBuilder().setGracePeriod(
                    DurationInfo.newBuilder().setNanoseconds(job.killGracePeriodMillis() * 1_000_000L)));
        }
        return info.build();
    }

    /**
     * The agent's executor runs it. HTTP and TCP checks probe the task's own port {@code portIndex} (validated against
     * the job's port count when the job was written); a COMMAND check gets the task's environment, PORTn included,
     * so it can say {@code curl -f localhost:$PORT0/health}.
     */
    static HealthCheck healthCheck(HealthCheckSpec spec, List<Integer> ports, CommandInfo taskCommand) {
        HealthCheck.Builder check = HealthCheck.newBuilder()
                .setDelaySeconds(spec.delaySeconds())
                .setIntervalSeconds(spec.intervalSeconds())
                .setTimeoutSeconds(spec.timeoutSeconds())
                .setConsecutiveFailures(spec.consecutiveFailures())
                .setGracePeriodSeconds(spec.gracePeriodSeconds());
        switch (spec.type()) {
            case COMMAND -> {
                CommandInfo.Builder cmd = CommandInfo.newBuilder().setShell(true).setValue(spec.command());
                if (taskCommand.hasEnvironment()) {
                    cmd.setEnvironment(taskCommand.getEnvironment());
                }
                check.setType(HealthCheck.Type.COMMAND).setCommand(cmd);
            }
            case HTTP -> check.setType(HealthCheck.Type.HTTP).setHttp(HealthCheck.HTTPCheckInfo.newBuilder()
                    .setPort(ports.get(spec.portIndex())).setPath(spec.path()));
            case TCP -> check.setType(HealthCheck.Type.TCP).setTcp(HealthCheck.TCPCheckInfo.newBuilder()
                    .setPort(ports.get(spec.portIndex())));
        }
        return check.build();
    }

    private static CommandInfo command(JobRecord job, List<Integer> ports) {
        CommandSpec spec = job.command();
        CommandInfo.Builder cmd = CommandInfo.newBuilder().setShell(spec.shell()).setValue(spec.value());
        if (!spec.shell()) {
            cmd.addAllArguments(spec.arguments());
        }
        Environment.Builder env = Environment.newBuilder();
        for (Map.Entry<String, String> e : job.environment().entrySet()) {
            env.addVariables(Environment.Variable.newBuilder().setName(e.getKey()).setValue(e.getValue()));
        }
        for (int i = 0; i < ports.size(); i++) {
            env.addVariables(Environment.Variable.newBuilder().setName("PORT" + i).setValue(ports.get(i).toString()));
        }
        if (env.getVariablesCount() > 0) {
            cmd.setEnvironment(env);
        }
        return cmd.build();
    }

    private static Resource scalar(String name, double value, Resource template) {
        return like(template).setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    /** Offered resources may carry a role and allocation info (multi-role); launched ones must carry the same. */
    private static Resource.Builder like(Resource template) {
        Resource.Builder b = Resource.newBuilder();
        if (template != null) {
            if (template.hasAllocationInfo()) {
                b.setAllocationInfo(template.getAllocationInfo());
            }
            if (template.hasRole()) {
                b.setRole(template.getRole());
            }
        }
        return b;
    }
}
