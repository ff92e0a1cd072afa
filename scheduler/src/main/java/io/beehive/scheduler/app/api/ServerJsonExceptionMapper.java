package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;

/**
 * A JSON failure that reaches Jersey outside a request body (an agent's or the master's answer, a stored record, a
 * response Jackson cannot write) is the server's fault: a logged 500 with an id, as for any other unexpected error.
 * Dropwizard's default mapper for {@link JsonProcessingException} would answer 400 "Unable to process JSON" and blame
 * the client. Request bodies never get here: {@link UnknownFields} turns their failures into 400/422 while reading.
 */
public final class ServerJsonExceptionMapper extends LoggingExceptionMapper<JsonProcessingException> {
}
