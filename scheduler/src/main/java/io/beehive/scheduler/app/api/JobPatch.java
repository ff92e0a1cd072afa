package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobRecord;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The body of {@code PATCH /v1/jobs/{id}}: the fields to change. */
public record JobPatch(
        @JsonProperty("instances") @Min(0) @Max(10_000) Integer instances,
        @JsonProperty("command") @Size(min = 1, max = 65536) String command,
        @JsonProperty("argv") @Size(min = 1, max = 1000) List<@NotNull String> argv) {

    @JsonIgnore
    @AssertTrue(message = "name at least one field to change: instances, command or argv")
    public boolean isNotEmpty() {
        return instances != null || command != null || argv != null;
    }

    /** The job with the command (and instances, if given) changed; a 422 if the result is not a valid job. */
    JobRecord applyTo(JobRecord job) {
        try {
            CommandSpec cmd = command != null ? CommandSpec.shell(command) : CommandSpec.argv(argv);
            return new JobRecord(job.id(), job.kind(), cmd, job.environment(), job.resources(),
                    instances != null ? instances : job.instances(), job.constraints(), job.restartPolicy(),
                    job.killGracePeriodMillis(), job.goal(), job.version(), job.createdAtMillis(),
                    System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(e.getMessage());
        }
    }

    @JsonIgnore
    @AssertTrue(message = "give command or argv, not both")
    public boolean isOneCommandForm() {
        return command == null || argv == null;
    }
}
