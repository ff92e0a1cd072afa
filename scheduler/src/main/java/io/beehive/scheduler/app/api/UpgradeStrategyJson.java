package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.UpgradeStrategy;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code upgradeStrategy} in a job request; absent fields keep the value they had (defaults for a new job: 1.0, 0.2,
 * minReadySeconds 10, maxFailures 3, progressDeadlineSeconds 600). Combinations are checked by
 * {@link UpgradeStrategy}.
 */
public record UpgradeStrategyJson(
        @JsonProperty("minimumHealthyCapacity") @DecimalMin("0") @DecimalMax("1") Double minimumHealthyCapacity,
        @JsonProperty("maximumOverCapacity") @DecimalMin("0") @DecimalMax("1") Double maximumOverCapacity,
        @JsonProperty("minReadySeconds") @Min(0) @Max(86_400) Integer minReadySeconds,
        @JsonProperty("maxFailures") @Min(1) @Max(1000) Integer maxFailures,
        @JsonProperty("progressDeadlineSeconds") @Min(1) @Max(604_800) Integer progressDeadlineSeconds) {

    /** @throws IllegalArgumentException when the result cannot make progress (1.0 and 0) */
    UpgradeStrategy over(UpgradeStrategy base) {
        return new UpgradeStrategy(
                minimumHealthyCapacity == null ? base.minimumHealthyCapacity() : minimumHealthyCapacity,
                maximumOverCapacity == null ? base.maximumOverCapacity() : maximumOverCapacity,
                minReadySeconds == null ? base.minReadySeconds() : minReadySeconds,
                maxFailures == null ? base.maxFailures() : maxFailures,
                progressDeadlineSeconds == null ? base.progressDeadlineSeconds() : progressDeadlineSeconds);
    }
}
