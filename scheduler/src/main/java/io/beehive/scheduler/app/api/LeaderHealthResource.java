package io.beehive.scheduler.app.api;

import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * {@code GET /leaderhealth} for load balancers (Aurora's contract): 200 on the leader, 503 on a follower while
 * another replica leads, 502 when nobody leads. A replica that is still starting answers 503: it is not the leader.
 */
@Path("/leaderhealth")
@Produces(MediaType.TEXT_PLAIN)
public class LeaderHealthResource {
    private final ReplicaRuntime runtime;

    public LeaderHealthResource(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    @GET
    public Response check() {
        Optional<BeehiveScheduler> s = runtime.schedulerIfRunning();
        if (s.isEmpty()) {
            return Response.status(503).entity("starting or stopping\n").build();
        }
        if (s.get().isLeader()) {
            return Response.ok("leader\n").build();
        }
        Optional<LeaderInfo> leader = s.get().leader();
        if (leader.isEmpty()) {
            return Response.status(502).entity("no leader\n").build();
        }
        return Response.status(503).header(ApiHeaders.LEADER, leader.get().participantId())
                .entity("follower; the leader is " + leader.get().participantId() + "\n").build();
    }
}
