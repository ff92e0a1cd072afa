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
        long updatedAtMillis) {

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
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }

    public JobRecord withGoal(JobGoal newGoal, long nowMillis) {
        return new JobRecord(id, kind, command, environment, resources, instances, constraints, restartPolicy,
                killGracePeriodMillis, newGoal, version + 1, createdAtMillis, nowMillis);
    }
}
