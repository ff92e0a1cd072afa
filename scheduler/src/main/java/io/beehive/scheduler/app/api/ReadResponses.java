package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.view.StateView;
import jakarta.ws.rs.core.Response;

/** Read answers carry who served them, because a follower's ZooKeeper view may be a moment behind the leader. */
final class ReadResponses {
    private ReadResponses() {
    }

    static Response ok(StateView view, Object entity) {
        return builder(view, entity).build();
    }

    /** For an answer that adds headers of its own (an ETag). */
    static Response.ResponseBuilder builder(StateView view, Object entity) {
        return Response.ok(entity).header(ApiHeaders.SERVED_BY, view.authoritative() ? "leader" : "follower");
    }
}
