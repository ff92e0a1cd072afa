package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code tasks:} what the leader does with tasks that misbehave: unknown to Beehive, unreachable, stuck launching, not
 * dying when killed; and how much finished-task history ZooKeeper keeps. Defaults suit production.
 */
public class TasksConfig {
    /** Kill tasks that Mesos reports under our FrameworkID but that have no record (e.g. launched by a lost term). */
    @JsonProperty
    private boolean killUnknown = true;

    /** An unreachable task (agent partitioned) keeps its slot this long before a replacement is launched. */
    @JsonProperty
    @NotNull
    private Duration unreachableReplaceAfter = Duration.minutes(5);

    /** A task that has not reached RUNNING after this long is killed and replaced. */
    @JsonProperty
    @NotNull
    private Duration stagingTimeout = Duration.minutes(5);

    /** A kill Mesos has not answered with a terminal update is sent again this often. */
    @JsonProperty
    @NotNull
    private Duration killRetryInterval = Duration.seconds(30);

    /**
     * A task being killed holds its slot (no replacement) until it is terminal, or until the job's kill grace period
     * plus this long has passed without an answer, so a one-copy service never runs two copies by accident.
     */
    @JsonProperty
    @NotNull
    private Duration killReplaceAfter = Duration.minutes(1);

    /** Finished task records kept per job (newest first); the rest are deleted from ZooKeeper. */
    @JsonProperty
    @Min(1)
    @Max(10_000)
    private int historyMaxPerJob = 10;

    /** Finished task records older than this are deleted whatever their number. */
    @JsonProperty
    @NotNull
    private Duration historyMaxAge = Duration.days(1);

    public boolean killUnknown() {
        return killUnknown;
    }

    public java.time.Duration unreachableReplaceAfter() {
        return unreachableReplaceAfter.toJavaDuration();
    }

    public java.time.Duration stagingTimeout() {
        return stagingTimeout.toJavaDuration();
    }

    public java.time.Duration killRetryInterval() {
        return killRetryInterval.toJavaDuration();
    }

    public java.time.Duration killReplaceAfter() {
        return killReplaceAfter.toJavaDuration();
    }

    public int historyMaxPerJob() {
        return historyMaxPerJob;
    }

    public java.time.Duration historyMaxAge() {
        return historyMaxAge.toJavaDuration();
    }
}
