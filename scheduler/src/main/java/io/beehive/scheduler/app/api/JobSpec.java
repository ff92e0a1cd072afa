package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.BackoffPolicy;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Constraint;
import io.beehive.state.record.CrashLoopGuard;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.UpgradeStrategy;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.RestartPolicy;
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
 * The body of {@code POST /v1/jobs}. Field rules are Bean Validation constraints, so a bad request gets a 422 that
 * names every offending field at once; the cross-field rules of the state records (e.g. a constraint's value) are
 * checked by {@link #toRecord} and reported the same way.
 */
public record JobSpec(
        @JsonProperty("id") @NotNull @Pattern(regexp = Ids.REGEX, message = "must be " + Ids.RULE) String id,
        @JsonProperty("kind") @NotNull @Pattern(regexp = "SERVICE|BATCH|DAEMON",
                message = "must be one of SERVICE, BATCH, DAEMON") String kind,
        @JsonProperty("command") @Size(min = 1, max = 65536) String command,
        @JsonProperty("argv") @Size(min = 1, max = 1000) List<@NotNull @Size(max = 65536) String> argv,
        @JsonProperty("instances") @Min(0) @Max(10_000) Integer instances,
        @JsonProperty("resources") @Valid ResourcesSpec resources,
        @JsonProperty("environment") @Size(max = 1000) Map<@NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*",
                message = "must be a shell variable name") String, @NotNull String> environment,
        @JsonProperty("constraints") @Size(max = 100) List<@NotNull @Valid ConstraintSpec> constraints,
        @JsonProperty("maxRetries") @Min(0) @Max(1000) Integer maxRetries,
        @JsonProperty("killGracePeriodSeconds") @Min(0) @Max(3600) Integer killGracePeriodSeconds,
        @JsonProperty("healthCheck") @Valid HealthCheckJson healthCheck,
        @JsonProperty("upgradeStrategy") @Valid UpgradeStrategyJson upgradeStrategy) {

    @JsonIgnore
    @AssertTrue(message = "give exactly one of command (run by /bin/sh -c) or argv (executable and arguments)")
    public boolean isCommandOrArgv() {
        return (command == null) != (argv == null);
    }

    /** The state record; field errors the annotations cannot express become a 422 naming the field. */
    JobRecord toRecord(long nowMillis) {
        List<String> errors = new ArrayList<>();
        List<Constraint> parsed = constraints == null ? List.of() : ConstraintSpec.parseAll(constraints, errors);
        JobKind jobKind = JobKind.valueOf(kind);
        if (jobKind == JobKind.BATCH && instances != null && instances != 1) {
            errors.add("instances must be 1 (or absent) for a BATCH job, got " + instances);
        }
        if (jobKind != JobKind.SERVICE && upgradeStrategy != null) {
            errors.add("upgradeStrategy applies to SERVICE jobs only (this one is " + jobKind + ")");
        }
        CommandSpec cmd = Fields.parse(errors, () -> command != null ? CommandSpec.shell(command)
                : CommandSpec.argv(argv));
        HealthCheckSpec check = healthCheck == null ? null : Fields.parse(errors, healthCheck::toSpec);
        UpgradeStrategy strategy = upgradeStrategy == null ? UpgradeStrategy.DEFAULT
                : Fields.parse(errors, () -> upgradeStrategy.over(UpgradeStrategy.DEFAULT));
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        int count = jobKind == JobKind.SERVICE ? (instances == null ? 1 : instances) : 1;
        // The first definition is run version 1: the record's own version, as every later run version is.
        return Fields.parse(() -> new JobRecord(id, jobKind, cmd, environment,
                (resources == null ? ResourcesSpec.DEFAULT : resources).toRecord(), count, parsed,
                new RestartPolicy(maxRetries == null ? RestartPolicy.DEFAULT.maxRetries() : maxRetries,
                        BackoffPolicy.DEFAULT, CrashLoopGuard.DEFAULT),
                (killGracePeriodSeconds == null ? 5 : killGracePeriodSeconds) * 1000L, JobGoal.RUNNING, 1,
                nowMillis, nowMillis, check, strategy, 1, null, null, null));
    }
}
