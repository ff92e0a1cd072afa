package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One job definition, stored at {@code <root>/jobs/<id>}.
 *
 * @param instances             copies to keep running (SERVICE); 1 for BATCH; ignored for DAEMON
 * @param killGracePeriodMillis time between SIGTERM and SIGKILL when a task is killed
 * @param version               incremented by every update of the definition, so a task knows which
 *                              definition it was launched from
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(
        String id,
        JobKind kind,
        CommandSpec command,
        Map<String, String> environment,
        ResourceSpec resources,
        int instances,
        List<Constraint> constraints,
        RestartPolicy restartPolicy,
        long killGracePeriodMillis,
        JobGoal goal,
        long version,
        long createdAtMillis,
        long updatedAtMillis,
        HealthCheckSpec healthCheck,
        UpgradeStrategy upgradeStrategy,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long runVersion,
        RunSpec previousRun,
        Deployment deployment,
        List<DeploymentSummary> deploymentHistory) {

    /** Ended deployments a job keeps, newest first. */
    public static final int DEPLOYMENT_HISTORY = 10;

    public JobRecord {
        Checks.id(id, "job id");
        if (kind == null) {
            throw new IllegalArgumentException("job " + id + " has no kind (one of SERVICE, BATCH, DAEMON)");
        }
        if (command == null) {
            throw new IllegalArgumentException("job " + id + " has no command");
        }
        if (resources == null) {
            throw new IllegalArgumentException("job " + id + " has no resources");
        }
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        restartPolicy = restartPolicy == null ? RestartPolicy.DEFAULT : restartPolicy;
        goal = goal == null ? JobGoal.RUNNING : goal;
        if (kind == JobKind.SERVICE && instances < 0) {
            throw new IllegalArgumentException("job " + id + " instances must not be negative, got " + instances);
        }
        Checks.notNegative(killGracePeriodMillis, "job " + id + " killGracePeriodMillis");
        Checks.notNegative(version, "job " + id + " version");
        upgradeStrategy = upgradeStrategy == null ? UpgradeStrategy.DEFAULT : upgradeStrategy;
        Checks.notNegative(runVersion, "job " + id + " runVersion");
        deploymentHistory = deploymentHistory == null ? List.of()
                : List.copyOf(deploymentHistory.subList(0, Math.min(DEPLOYMENT_HISTORY, deploymentHistory.size())));
        if (healthCheck != null && healthCheck.portIndex() != null && healthCheck.portIndex() >= resources.ports()) {
            throw new IllegalArgumentException("healthCheck.portIndex " + healthCheck.portIndex() + " names no port: "
                    + "the job asks for " + resources.ports() + " (resources.ports)");
        }
        if (deployment != null && kind != JobKind.SERVICE) {
            throw new IllegalArgumentException("job " + id + " is a " + kind + ": only SERVICE jobs have deployments");
        }
    }

    /** A job as it was before health checks and deployments existed (no check, default strategy, run version 0). */
    public JobRecord(String id, JobKind kind, CommandSpec command, Map<String, String> environment,
                     ResourceSpec resources, int instances, List<Constraint> constraints, RestartPolicy restartPolicy,
                     long killGracePeriodMillis, JobGoal goal, long version, long createdAtMillis,
                     long updatedAtMillis) {
        this(id, kind, command, environment, resources, instances, constraints, restartPolicy, killGracePeriodMillis,
                goal, version, createdAtMillis, updatedAtMillis, null, null, 0, null, null, null);
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }

    public JobRecord withGoal(JobGoal newGoal, long nowMillis) {
        return new JobRecord(id, kind, command, environment, resources, instances, constraints, restartPolicy,
                killGracePeriodMillis, newGoal, version + 1, createdAtMillis, nowMillis, healthCheck,
                upgradeStrategy, runVersion, previousRun, deployment, deploymentHistory);
    }

    public JobRecord withInstances(int newInstances, long nowMillis) {
        return new JobRecord(id, kind, command, environment, resources, newInstances, constraints, restartPolicy,
                killGracePeriodMillis, goal, version + 1, createdAtMillis, nowMillis, healthCheck, upgradeStrategy,
                runVersion, previousRun, deployment, deploymentHistory);
    }

    public JobRecord withUpgradeStrategy(UpgradeStrategy strategy, long nowMillis) {
        return new JobRecord(id, kind, command, environment, resources, instances, constraints, restartPolicy,
                killGracePeriodMillis, goal, version + 1, createdAtMillis, nowMillis, healthCheck, strategy,
                runVersion, previousRun, deployment, deploymentHistory);
    }

    /** What this job's tasks run now. */
    public RunSpec runSpec() {
        return new RunSpec(runVersion, command, environment, resources, constraints, healthCheck,
                killGracePeriodMillis);
    }

    /**
     * The job running {@code run} as run version {@code newRunVersion}, remembering {@code previous} for a rollback,
     * with {@code next} as its deployment (null: none).
     */
    public JobRecord withRun(RunSpec run, long newRunVersion, RunSpec previous, Deployment next, long nowMillis) {
        return new JobRecord(id, kind, run.command(), run.environment(), run.resources(), instances, run.constraints(),
                restartPolicy, run.killGracePeriodMillis(), goal, version + 1, createdAtMillis, nowMillis,
                run.healthCheck(), upgradeStrategy, newRunVersion, previous, next, deploymentHistory);
    }

    /** The job with its deployment replaced (null: none); {@code ended}, if given, joins the history. */
    public JobRecord withDeployment(Deployment next, DeploymentSummary ended, long nowMillis) {
        List<DeploymentSummary> history = deploymentHistory;
        if (ended != null) {
            List<DeploymentSummary> h = new java.util.ArrayList<>(DEPLOYMENT_HISTORY + 1);
            h.add(ended);
            h.addAll(deploymentHistory);
            history = h;
        }
        return new JobRecord(id, kind, command, environment, resources, instances, constraints, restartPolicy,
                killGracePeriodMillis, goal, version + 1, createdAtMillis, nowMillis, healthCheck, upgradeStrategy,
                runVersion, previousRun, next, history);
    }
}
