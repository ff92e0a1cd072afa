package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** {@code api:} limits of the REST API, forwarding to the leader, and authentication. */
public class ApiConfig {
    /** Request bodies above this are refused with 413 before they are parsed. */
    @JsonProperty
    @NotNull
    @MinDataSize(1)
    @MaxDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    private DataSize maxRequestBodySize = DataSize.kibibytes(64);

    /** How long a write waits for the leader to make it durable before answering 503. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration commandTimeout = Duration.seconds(10);

    /** Sent as Retry-After with every 503 (no leader, leader unreachable, leadership changing). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration retryAfter = Duration.seconds(2);

    /** A follower gives up on a forwarded request after this long. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration proxyTimeout = Duration.seconds(15);

    /**
     * Events one {@code /v1/events} client may have waiting; a client further behind is disconnected (with a last
     * {@code dropped} event) so that it never holds up the scheduler.
     */
    @JsonProperty
    @Min(1)
    @Max(1_000_000)
    private int eventQueueSize = 1000;

    /**
     * Open {@code /v1/events} streams one replica serves (each has a sender thread, and on a follower a relay
     * thread); more are refused with 503.
     */
    @JsonProperty
    @Min(1)
    @Max(100_000)
    private int maxEventSubscribers = 256;

    @JsonProperty
    @Valid
    @NotNull
    private AuthConfig auth = new AuthConfig();

    @JsonProperty
    @Valid
    @NotNull
    private LogsConfig logs = new LogsConfig();

    public long maxRequestBodyBytes() {
        return maxRequestBodySize.toBytes();
    }

    public ApiConfig maxRequestBodySize(DataSize size) {
        this.maxRequestBodySize = size;
        return this;
    }

    public java.time.Duration commandTimeout() {
        return commandTimeout.toJavaDuration();
    }

    public long retryAfterSeconds() {
        return Math.max(1, retryAfter.toSeconds());
    }

    public java.time.Duration proxyTimeout() {
        return proxyTimeout.toJavaDuration();
    }

    public int eventQueueSize() {
        return eventQueueSize;
    }

    public int maxEventSubscribers() {
        return maxEventSubscribers;
    }

    public AuthConfig auth() {
        return auth;
    }

    public LogsConfig logs() {
        return logs;
    }
}
