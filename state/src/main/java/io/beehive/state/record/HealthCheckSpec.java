package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A health check that the agent's executor runs (Mesos {@code HealthCheck}); the scheduler never probes a task
 * itself, it only reads the {@code healthy} field of the updates. Times are seconds as Mesos takes them (doubles).
 *
 * @param command   the shell command of a COMMAND check (exit 0 = healthy)
 * @param portIndex which of the task's allocated ports an HTTP or TCP check probes (the task's {@code PORT<i>})
 * @param path      the path an HTTP check GETs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheckSpec(
        HealthCheckType type,
        String command,
        Integer portIndex,
        String path,
        double delaySeconds,
        double intervalSeconds,
        double timeoutSeconds,
        int consecutiveFailures,
        double gracePeriodSeconds) {

    /** Mesos' own defaults ({@code mesos.proto}, {@code HealthCheck}). */
    public static final double DEFAULT_DELAY_SECONDS = 15;
    public static final double DEFAULT_INTERVAL_SECONDS = 10;
    public static final double DEFAULT_TIMEOUT_SECONDS = 20;
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 3;
    public static final double DEFAULT_GRACE_PERIOD_SECONDS = 10;

    public HealthCheckSpec {
        if (type == null) {
            throw new IllegalArgumentException("healthCheck.type must be one of COMMAND, HTTP, TCP");
        }
        switch (type) {
            case COMMAND -> {
                Checks.notBlank(command, "healthCheck.command (a COMMAND check)");
                if (portIndex != null || path != null) {
                    throw new IllegalArgumentException("healthCheck of type COMMAND takes no portIndex or path");
                }
            }
            case HTTP, TCP -> {
                if (command != null) {
                    throw new IllegalArgumentException("healthCheck of type " + type + " takes no command");
                }
                portIndex = portIndex == null ? 0 : portIndex;
                if (portIndex < 0) {
                    throw new IllegalArgumentException("healthCheck.portIndex must not be negative, got " + portIndex);
                }
                if (type == HealthCheckType.TCP && path != null) {
                    throw new IllegalArgumentException("healthCheck of type TCP takes no path");
                }
                if (type == HealthCheckType.HTTP) {
                    path = path == null ? "/" : path;
                    if (!path.startsWith("/")) {
                        throw new IllegalArgumentException("healthCheck.path must start with '/', got '" + path + "'");
                    }
                }
            }
        }
        seconds(delaySeconds, "healthCheck.delaySeconds", true);
        seconds(intervalSeconds, "healthCheck.intervalSeconds", false);
        seconds(timeoutSeconds, "healthCheck.timeoutSeconds", false);
        seconds(gracePeriodSeconds, "healthCheck.gracePeriodSeconds", true);
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("healthCheck.consecutiveFailures must be at least 1, got "
                    + consecutiveFailures);
        }
    }

    private static void seconds(double value, String what, boolean zeroAllowed) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0 || (!zeroAllowed && value == 0)
                || value > 86_400) {
            throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? "0" : "more than 0")
                    + " to 86400 seconds, got " + value);
        }
    }
}
