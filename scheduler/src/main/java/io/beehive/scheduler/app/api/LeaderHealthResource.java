package io.beehive.scheduler.app.api;

import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /leaderhealth} for load balancers (Aurora's contract): 200 on the leader, 503 on a follower while
 * another replica leads, 502 when nobody leads. A replica that is still starting answers 503: it is not the leader.
 *
 * <p>The status is the answer, so it never depends on {@code Accept}: a client that asks for JSON gets
 * {@code {"status":..,"leader":..}}, any other a line of text (a health checker that sends {@code Accept: text/html}
 * or {@code application/json} must not get a 406 that it would read as "down"). No {@code @Produces}, so Jersey
 * matches every {@code Accept}; the type is chosen here.
 */
@Path("/leaderhealth")
public class LeaderHealthResource {
    private final ReplicaRuntime runtime;

    public LeaderHealthResource(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    @GET
    public Response check(@Context HttpHeaders headers) {
        boolean json = wantsJson(headers);
        Optional<BeehiveScheduler> s = runtime.schedulerIfRunning();
        if (s.isEmpty()) {
            return answer(503, "starting", null, "starting or stopping", json);
        }
        if (s.get().isLeader()) {
            return answer(200, "leader", runtime.selfAddress().orElse(null), "leader", json);
        }
        Optional<LeaderInfo> leader = s.get().leader();
        if (leader.isEmpty()) {
            return answer(502, "no-leader", null, "no leader", json);
        }
        String address = leader.get().participantId();
        return answer(503, "follower", address, "follower; the leader is " + address, json);
    }

    private static Response answer(int status, String state, String leader, String text, boolean json) {
        Response.ResponseBuilder b = Response.status(status);
        if (leader != null && status != 200) {
            b.header(ApiHeaders.LEADER, leader);
        }
        if (!json) {
            return b.type(MediaType.TEXT_PLAIN_TYPE).entity(text + "\n").build();
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", state);
        if (leader != null) {
            body.put("leader", leader);
        }
        return b.type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** JSON when the client's most preferred type that either answer satisfies is JSON; text otherwise. */
    private static boolean wantsJson(HttpHeaders headers) {
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isCompatible(MediaType.TEXT_PLAIN_TYPE)) {
                return false;
            }
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
