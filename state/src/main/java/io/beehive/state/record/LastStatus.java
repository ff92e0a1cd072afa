package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The parts of the last Mesos {@code TaskStatus} worth keeping. {@code uuid} is the update's uuid (base64), kept
 * so that an acknowledgement can be resent after a fail-over; {@code reason} and {@code source} are the Mesos
 * enum names. The message is cut to {@link #MAX_MESSAGE_CHARS}: executors put whole health-check outputs there,
 * and a task record must stay small (Marathon truncates for the same reason).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastStatus(String uuid, String message, String reason, String source, long timestampMillis) {
    public static final int MAX_MESSAGE_CHARS = 1024;

    public LastStatus {
        if (message != null && message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
        }
    }
}
