package io.beehive.scheduler.core.offer;

import io.beehive.state.record.Constraint;
import io.beehive.state.record.ResourceSpec;

import java.util.List;
import java.util.Objects;

/**
 * One task that wants a place.
 *
 * @param requiredAgentId for daemon jobs, the one agent this copy belongs on; {@code null} otherwise
 */
public record Demand(String jobId, int instance, ResourceSpec resources, List<Constraint> constraints,
                     String requiredAgentId) {
    public Demand {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(resources, "resources");
        constraints = List.copyOf(constraints);
    }
}
