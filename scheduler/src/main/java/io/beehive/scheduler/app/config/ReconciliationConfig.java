package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code reconciliation:} how the leader asks Mesos for the truth about its tasks (Mesos' reconciliation doc). */
public class ReconciliationConfig {
    /** Periodic implicit reconciliation; Mesos recommends no more than 15 minutes apart. */
    @JsonProperty
    @NotNull
    private Duration interval = Duration.minutes(10);

    @JsonProperty
    @NotNull
    private Duration initialBackoff = Duration.seconds(2);

    @JsonProperty
    @NotNull
    private Duration maxBackoff = Duration.seconds(30);

    /** After this long, reconciliation ends even if some tasks never answered, so launching never blocks forever. */
    @JsonProperty
    @NotNull
    private Duration maxDuration = Duration.minutes(2);

    @JsonProperty
    @Min(1)
    @Max(100_000)
    private int batchSize = 1000;

    public java.time.Duration interval() {
        return interval.toJavaDuration();
    }

    public java.time.Duration initialBackoff() {
        return initialBackoff.toJavaDuration();
    }

    public java.time.Duration maxBackoff() {
        return maxBackoff.toJavaDuration();
    }

    public java.time.Duration maxDuration() {
        return maxDuration.toJavaDuration();
    }

    public int batchSize() {
        return batchSize;
    }
}
