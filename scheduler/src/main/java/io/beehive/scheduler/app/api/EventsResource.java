package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.events.EventHub;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /v1/events}: server-sent events of task state changes ({@code task}), leadership ({@code leader}) and,
 * for a client too slow to keep up, a last {@code dropped}. Any replica serves it (a follower relays the leader's
 * task events); see {@link EventHub}.
 */
@Path("/v1/events")
public class EventsResource {
    private final EventHub hub;
    private final long retryAfterSeconds;

    public EventsResource(EventHub hub, long retryAfterSeconds) {
        this.hub = hub;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@Context SseEventSink sink, @Context Sse sse,
                          @HeaderParam(ApiHeaders.PROXIED_BY) String proxiedBy,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!hub.subscribe(sink, sse, proxiedBy, authorization)) {
            throw new WebApplicationException(ApiProblem.unavailableResponse("too many event streams are open on "
                    + "this replica (api.maxEventSubscribers); retry later", retryAfterSeconds, null, WriteApplied.NO));
        }
    }

    /**
     * Headers only. Without this Jersey answers HEAD by running the GET and dropping its body, and the GET of an
     * endless stream never ends: the HEAD would hang.
     */
    @HEAD
    public Response head() {
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
