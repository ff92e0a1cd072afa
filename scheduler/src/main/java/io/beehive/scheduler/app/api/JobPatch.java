package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Constraint;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.UpgradeStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PATCH /v1/jobs/{id}}: the fields to change, the others keep their values. {@code instances}
 * alone scales. A change of what runs (command or argv, environment, resources, constraints, healthCheck,
 * killGracePeriodSeconds) makes a new version, which a SERVICE reaches by a deployment.
 */
public record JobPatch(
        @JsonProperty("instances") @Min(0) @Max(10_000) Integer instances,
        @JsonProperty("command") @Size(min = 1, max = 65536) String command,
        @JsonProperty("argv") @Size(min = 1, max = 1000) List<@NotNull @Size(max = 65536) String> argv,
        @JsonProperty("environment") @Size(max = 1000) Map<@NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*",
                message = "must be a shell variable name") String, @NotNull String> environment,
        @JsonProperty("resources") @Valid ResourcesSpec resources,
        @JsonProperty("constraints") @Size(max = 100) List<@NotNull @Valid ConstraintSpec> constraints,
        @JsonProperty("killGracePeriodSeconds") @Min(0) @Max(3600) Integer killGracePeriodSeconds,
        @JsonProperty("healthCheck") @Valid HealthCheckJson healthCheck,
        @JsonProperty("upgradeStrategy") @Valid UpgradeStrategyJson upgradeStrategy) {

    @JsonIgnore
    @AssertTrue(message = "name at least one field to change: instances, command, argv, environment, resources, "
            + "constraints, killGracePeriodSeconds, healthCheck or upgradeStrategy")
    public boolean isNotEmpty() {
        return instances != null || changesRun() || upgradeStrategy != null;
    }

    @JsonIgnore
    @AssertTrue(message = "give command or argv, not both")
    public boolean isOneCommandForm() {
        return command == null || argv == null;
    }

    /** Whether the patch names a field of the run spec (it may still equal the current value). */
    boolean changesRun() {
        return command != null || argv != null || environment != null || resources != null || constraints != null
                || killGracePeriodSeconds != null || healthCheck != null;
    }

    /** The job with the patch applied (version and times are the leader's to set); a 422 naming each bad field. */
    JobRecord applyTo(JobRecord job) {
        List<String> errors = new ArrayList<>();
        CommandSpec cmd = command != null ? Fields.parse(errors, () -> CommandSpec.shell(command))
                : argv != null ? Fields.parse(errors, () -> CommandSpec.argv(argv)) : job.command();
        ResourceSpec res = resources == null ? job.resources() : Fields.parse(errors, () -> resources.over(
                job.resources()));
        List<Constraint> placed = constraints == null ? job.constraints()
                : ConstraintSpec.parseAll(constraints, errors);
        HealthCheckSpec check = healthCheck == null ? job.healthCheck() : Fields.parse(errors, healthCheck::toSpec);
        UpgradeStrategy strategy = upgradeStrategy == null ? job.upgradeStrategy()
                : Fields.parse(errors, () -> upgradeStrategy.over(job.upgradeStrategy()));
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return Fields.parse(() -> new JobRecord(job.id(), job.kind(), cmd,
                environment != null ? environment : job.environment(), res,
                instances != null ? instances : job.instances(), placed, job.restartPolicy(),
                killGracePeriodSeconds != null ? killGracePeriodSeconds * 1000L : job.killGracePeriodMillis(),
                job.goal(), job.version(), job.createdAtMillis(), job.updatedAtMillis(), check, strategy,
                job.runVersion(), job.previousRun(), job.deployment(), job.deploymentHistory()));
    }
}
