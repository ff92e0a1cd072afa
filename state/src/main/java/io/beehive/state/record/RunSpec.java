package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What a job's tasks run, one version of it: the part of a job definition whose change needs new tasks (a
 * deployment). A job keeps the version before its current one, so that a rollback knows what to go back to.
 *
 * @param version the job's {@code runVersion} this definition had
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(
        long version,
        CommandSpec command,
        Map<String, String> environment,
        ResourceSpec resources,
        List<Constraint> constraints,
        HealthCheckSpec healthCheck,
        long killGracePeriodMillis) {

    public RunSpec {
        if (command == null || resources == null) {
            throw new IllegalArgumentException("a run spec needs a command and resources");
        }
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        Checks.notNegative(version, "run spec version");
        Checks.notNegative(killGracePeriodMillis, "run spec killGracePeriodMillis");
    }

    /** Whether tasks of this spec and of {@code other} would run the same thing (the versions aside). */
    public boolean sameRunAs(RunSpec other) {
        return command.equals(other.command) && environment.equals(other.environment)
                && resources.equals(other.resources) && constraints.equals(other.constraints)
                && java.util.Objects.equals(healthCheck, other.healthCheck)
                && killGracePeriodMillis == other.killGracePeriodMillis;
    }
}
