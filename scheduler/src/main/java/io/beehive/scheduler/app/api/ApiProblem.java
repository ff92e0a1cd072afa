package io.beehive.scheduler.app.api;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An answer that is not a success, with a body shaped like Dropwizard's own ({@code {"code":..,"message":..}}, or
 * {@code {"errors":[..]}} for 422; a 503 adds {@code applied}) so that clients see one error format whatever produced
 * it.
 */
public final class ApiProblem extends WebApplicationException {
    private ApiProblem(Response response) {
        super(response);
    }

    public static ApiProblem notFound(String message) {
        return of(Response.Status.NOT_FOUND.getStatusCode(), message);
    }

    public static ApiProblem conflict(String message) {
        return of(Response.Status.CONFLICT.getStatusCode(), message);
    }

    public static ApiProblem invalid(List<String> errors) {
        return new ApiProblem(Response.status(422).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new io.dropwizard.jersey.validation.ValidationErrorMessage(errors)).build());
    }

    public static ApiProblem invalid(String error) {
        return invalid(List.of(error));
    }

    public static ApiProblem preconditionFailed(String message) {
        return of(Response.Status.PRECONDITION_FAILED.getStatusCode(), message);
    }

    public static ApiProblem unavailable(String message, long retryAfterSeconds, WriteApplied applied) {
        return new ApiProblem(unavailableResponse(message, retryAfterSeconds, null, applied));
    }

    /**
     * 503 + Retry-After, saying whether the client's write landed ({@link WriteApplied}): in a header for clients
     * that look only at headers, in the body for people reading it.
     */
    public static Response unavailableResponse(String message, long retryAfterSeconds, String leader,
                                               WriteApplied applied) {
        Response.ResponseBuilder b = Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(ApiHeaders.RETRY_AFTER, retryAfterSeconds)
                .header(WriteApplied.HEADER, applied.value())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new UnavailableMessage(503, message, applied.value()));
        if (leader != null) {
            b.header(ApiHeaders.LEADER, leader);
        }
        return b.build();
    }

    public static ApiProblem of(int status, String message) {
        return new ApiProblem(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status, message)).build());
    }
}
