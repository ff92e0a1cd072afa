package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of a 503: Dropwizard's error shape ({@code code}, {@code message}) plus {@code applied}, whether the
 * write the client sent landed ({@code no} or {@code unknown}, see {@link WriteApplied}).
 */
public record UnavailableMessage(@JsonProperty("code") int code, @JsonProperty("message") String message,
                                 @JsonProperty("applied") String applied) {
}
