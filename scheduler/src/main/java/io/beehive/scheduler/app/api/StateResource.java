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

/** {@code /v1/leader}, {@code /v1/replicas} and {@code /v1/state}. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StateResource {
    private final ReplicaRuntime runtime;
    private final StateReport report;
    private final long retryAfterSeconds;

    public StateResource(ReplicaRuntime runtime, StateReport report, long retryAfterSeconds) {
        this.runtime = runtime;
        this.report = report;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 200 with the leader; 503 + Retry-After while there is none (an election is under way). */
    @GET
    @Path("/leader")
    public Response leader() {
        BeehiveScheduler s = runtime.scheduler();
        Optional<LeaderInfo> leader = s.leader();
        String self = runtime.selfAddress().orElse(null);
        LeaderView view = leader.map(l -> new LeaderView(l.participantId(), l.epoch(), l.since().toString(), self,
                s.isLeader())).orElseGet(() -> new LeaderView(null, null, null, self, false));
        Response.ResponseBuilder b = leader.isPresent() ? Response.ok(view)
                : Response.status(503).header(ApiHeaders.RETRY_AFTER, retryAfterSeconds).entity(view);
        return b.build();
    }

    /** The replicas in the election with their roles; {@code leader} is null while nobody leads. */
    @GET
    @Path("/replicas")
    public Response replicas() {
        String leader = runtime.scheduler().leader().map(LeaderInfo::participantId).orElse(null);
        return Response.ok(new ReplicasView(leader, report.replicas())).build();
    }

    @GET
    @Path("/state")
    public Response state() {
        StateSummary summary = report.summary();
        return Response.ok(summary).header(ApiHeaders.SERVED_BY, summary.servedBy()).build();
    }
}
