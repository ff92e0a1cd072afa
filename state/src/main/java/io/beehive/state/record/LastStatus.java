package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The parts of the last Mesos {@code TaskStatus} worth keeping. {@code uuid} is the update's uuid (base64), kept
 * so that an acknowledgement can be resent after a fail-over; {@code reason} and {@code source} are the Mesos
 * enum names.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastStatus(String uuid, String message, String reason, String source, long timestampMillis) {
}
