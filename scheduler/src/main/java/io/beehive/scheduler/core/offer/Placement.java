package io.beehive.scheduler.core.offer;

import java.util.Map;
import java.util.Objects;

/** Where a task of a job already runs (or is being launched): what UNIQUE and MAX_PER count. */
public record Placement(String jobId, String agentId, String hostname, Map<String, String> attributes) {
    public Placement {
        Objects.requireNonNull(jobId, "jobId");
        hostname = hostname == null ? "" : hostname;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public String fieldValue(String field) {
        return fieldValue(field, hostname, attributes);
    }

    static String fieldValue(String field, String hostname, Map<String, String> attributes) {
        return "hostname".equals(field) ? hostname : attributes.get(field);
    }
}
