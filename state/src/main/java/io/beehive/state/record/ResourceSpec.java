package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Resources one task of a job needs. {@code ports} is a count; the agent's offer decides which ones. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceSpec(double cpus, double memMb, double diskMb, int ports) {
    public ResourceSpec {
        if (!(cpus > 0) || Double.isInfinite(cpus)) {
            throw new IllegalArgumentException("cpus must be a positive number, got " + cpus);
        }
        if (!(memMb > 0) || Double.isInfinite(memMb)) {
            throw new IllegalArgumentException("memMb must be a positive number, got " + memMb);
        }
        if (!(diskMb >= 0) || Double.isInfinite(diskMb)) {
            throw new IllegalArgumentException("diskMb must not be negative, got " + diskMb);
        }
        if (ports < 0 || ports > 1000) {
            throw new IllegalArgumentException("ports must be between 0 and 1000, got " + ports);
        }
    }
}
