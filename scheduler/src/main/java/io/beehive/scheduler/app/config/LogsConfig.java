package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/**
 * {@code api.logs:} reading task sandboxes ({@code stdout}, {@code stderr}) from the agents' files API for
 * {@code GET /v1/tasks/{id}/logs/{file}}.
 */
public class LogsConfig {
    /** The largest window one request may ask for; a larger {@code length} is a 400. */
    @JsonProperty
    @NotNull
    @MinDataSize(value = 1, unit = DataSizeUnit.KIBIBYTES)
    @MaxDataSize(value = 16, unit = DataSizeUnit.MEBIBYTES)
    private DataSize maxBytesPerRequest = DataSize.mebibytes(1);

    /** The window when a request gives no {@code length}; also how much a follow without {@code offset} replays. */
    @JsonProperty
    @NotNull
    @MinDataSize(1)
    private DataSize defaultBytes = DataSize.kibibytes(64);

    /** How often a follow ({@code ?follow=true}) asks the agent for new bytes. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 50, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration followPollInterval = Duration.milliseconds(500);

    /** A follow with nothing new writes an SSE comment this often (proxies keep it open; a gone client is noticed). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration followKeepAlive = Duration.seconds(15);

    /** Connect and answer timeout of each call to a master or an agent; an agent slower than this is a 502. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration agentTimeout = Duration.seconds(3);

    /** How long the agents' addresses read from the master's {@code /state} are reused. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration agentAddressCacheTime = Duration.seconds(10);

    /** Open follows one replica serves (each holds a request thread); more are refused with 503. */
    @JsonProperty
    @Min(1)
    @Max(10_000)
    private int maxFollowers = 64;

    @AssertTrue(message = "api.logs.defaultBytes must not be larger than api.logs.maxBytesPerRequest")
    public boolean isDefaultWithinMaximum() {
        return defaultBytes == null || maxBytesPerRequest == null
                || defaultBytes.toBytes() <= maxBytesPerRequest.toBytes();
    }

    public long maxBytesPerRequest() {
        return maxBytesPerRequest.toBytes();
    }

    public long defaultBytes() {
        return defaultBytes.toBytes();
    }

    public java.time.Duration followPollInterval() {
        return followPollInterval.toJavaDuration();
    }

    public java.time.Duration followKeepAlive() {
        return followKeepAlive.toJavaDuration();
    }

    public java.time.Duration agentTimeout() {
        return agentTimeout.toJavaDuration();
    }

    public java.time.Duration agentAddressCacheTime() {
        return agentAddressCacheTime.toJavaDuration();
    }

    public int maxFollowers() {
        return maxFollowers;
    }
}
