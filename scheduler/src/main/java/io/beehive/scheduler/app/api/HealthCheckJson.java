package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.HealthCheckType;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code healthCheck} in a job request; absent numbers take Mesos' defaults (delay 15 s, interval 10 s, timeout
 * 20 s, 3 consecutive failures, grace 10 s). Which fields a type takes is checked by {@link HealthCheckSpec}.
 */
public record HealthCheckJson(
        @JsonProperty("type") @NotNull @Pattern(regexp = "COMMAND|HTTP|TCP", message = "must be one of COMMAND, "
                + "HTTP, TCP") String type,
        @JsonProperty("command") @Size(min = 1, max = 65536) String command,
        @JsonProperty("portIndex") @Min(0) @Max(999) Integer portIndex,
        @JsonProperty("path") @Size(min = 1, max = 2048) String path,
        @JsonProperty("delaySeconds") @DecimalMin("0") @DecimalMax("86400") Double delaySeconds,
        @JsonProperty("intervalSeconds") @DecimalMin(value = "0", inclusive = false) @DecimalMax("86400")
        Double intervalSeconds,
        @JsonProperty("timeoutSeconds") @DecimalMin(value = "0", inclusive = false) @DecimalMax("86400")
        Double timeoutSeconds,
        @JsonProperty("consecutiveFailures") @Min(1) @Max(1000) Integer consecutiveFailures,
        @JsonProperty("gracePeriodSeconds") @DecimalMin("0") @DecimalMax("86400") Double gracePeriodSeconds) {

    /** @throws IllegalArgumentException naming the field when the combination is not a valid check */
    HealthCheckSpec toSpec() {
        return new HealthCheckSpec(HealthCheckType.valueOf(type), command, portIndex, path,
                or(delaySeconds, HealthCheckSpec.DEFAULT_DELAY_SECONDS),
                or(intervalSeconds, HealthCheckSpec.DEFAULT_INTERVAL_SECONDS),
                or(timeoutSeconds, HealthCheckSpec.DEFAULT_TIMEOUT_SECONDS),
                consecutiveFailures == null ? HealthCheckSpec.DEFAULT_CONSECUTIVE_FAILURES : consecutiveFailures,
                or(gracePeriodSeconds, HealthCheckSpec.DEFAULT_GRACE_PERIOD_SECONDS));
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
