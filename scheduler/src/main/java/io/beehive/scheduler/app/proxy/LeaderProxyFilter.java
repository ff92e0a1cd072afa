package io.beehive.scheduler.app.proxy;

import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.app.api.ApiHeaders;
import io.beehive.scheduler.app.api.ApiProblem;
import io.beehive.scheduler.app.api.WriteApplied;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Any replica answers: a follower forwards every write under {@code /v1} to the leader (the address the leader
 * advertises in the election) and relays the answer; reads are answered locally. It runs after authentication, so
 * a follower never forwards a request it would refuse; the leader checks the credentials again.
 *
 * <p>Loops: a forwarded request carries {@link ApiHeaders#PROXIED_BY}. A replica that receives one and does not
 * lead (leadership moved while the request travelled) answers 503 instead of forwarding again.
 */
@Priority(Priorities.USER)
public final class LeaderProxyFilter implements ContainerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderProxyFilter.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** How long a relayed write's answer waits for this replica's mirror to show it (normally milliseconds). */
    private static final java.time.Duration WRITE_VISIBLE_WITHIN = java.time.Duration.ofSeconds(2);

    private final ReplicaRuntime runtime;
    private final LeaderForwarder forwarder;
    private final long retryAfterSeconds;

    public LeaderProxyFilter(ReplicaRuntime runtime, LeaderForwarder forwarder, long retryAfterSeconds) {
        this.runtime = runtime;
        this.forwarder = forwarder;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!WRITES.contains(request.getMethod()) || !request.getUriInfo().getPath().startsWith("v1/")) {
            return;
        }
        BeehiveScheduler scheduler = runtime.scheduler();
        if (scheduler.isLeader()) {
            return;
        }
        Optional<LeaderInfo> leader = scheduler.leader();
        String self = runtime.selfAddress().orElse("?");
        if (leader.isEmpty()) {
            request.abortWith(ApiProblem.unavailableResponse("no leader right now (an election is under way); "
                    + "retry shortly", retryAfterSeconds, null, WriteApplied.NO));
            return;
        }
        String leaderAddress = leader.get().participantId();
        String proxiedBy = request.getHeaderString(ApiHeaders.PROXIED_BY);
        if (proxiedBy != null || leaderAddress.equals(self)) {
            request.abortWith(ApiProblem.unavailableResponse("this replica (" + self + ") no longer leads; "
                    + "leadership is moving, retry shortly", retryAfterSeconds, leaderAddress, WriteApplied.NO));
            return;
        }
        byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
        Map<String, String> headers = new LinkedHashMap<>();
        copy(request, headers, HttpHeaders.CONTENT_TYPE);
        copy(request, headers, HttpHeaders.ACCEPT);
        copy(request, headers, HttpHeaders.AUTHORIZATION);
        copy(request, headers, HttpHeaders.IF_MATCH);
        copy(request, headers, ApiHeaders.CLIENT);
        headers.put(ApiHeaders.PROXIED_BY, self);
        String target = request.getUriInfo().getRequestUri().getRawPath()
                + (request.getUriInfo().getRequestUri().getRawQuery() == null ? ""
                : "?" + request.getUriInfo().getRequestUri().getRawQuery());
        try {
            LeaderForwarder.Answer answer = forwarder.forward(leaderAddress, request.getMethod(), target, headers, body);
            if (answer.status() < 300) {
                // Reads here come from this replica's state mirror: the client that wrote through it reads its write.
                runtime.schedulerIfRunning().ifPresent(s -> s.mirror().awaitCurrent(WRITE_VISIBLE_WITHIN));
            }
            Response.ResponseBuilder b = Response.status(answer.status()).entity(answer.body());
            answer.headers().forEach(b::header);
            b.header(ApiHeaders.LEADER, leaderAddress);
            LOG.debug("Forwarded {} {} to the leader {}: {}", request.getMethod(), target, leaderAddress,
                    answer.status());
            request.abortWith(b.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abortWith(ApiProblem.unavailableResponse("interrupted while forwarding to the leader; the write "
                    + "may have been applied: read the resource before retrying", retryAfterSeconds, leaderAddress,
                    WriteApplied.UNKNOWN));
        } catch (LeaderUnreachableException e) {
            LOG.warn("Cannot forward {} {}: {}", request.getMethod(), target, e.getMessage());
            request.abortWith(unreachable(e, leaderAddress, retryAfterSeconds));
        }
    }

    /** The 503 for a forward that got no answer: whether the write was applied is whether the request left. */
    static Response unreachable(LeaderUnreachableException e, String leaderAddress, long retryAfterSeconds) {
        if (e.requestSent()) {
            return ApiProblem.unavailableResponse(e.getMessage() + "; the write may have been applied: read the "
                    + "resource (or send the write again with If-Match) before retrying", retryAfterSeconds,
                    leaderAddress, WriteApplied.UNKNOWN);
        }
        return ApiProblem.unavailableResponse(e.getMessage() + "; the write was not applied: retry shortly",
                retryAfterSeconds, leaderAddress, WriteApplied.NO);
    }

    private static void copy(ContainerRequestContext request, Map<String, String> to, String name) {
        String v = request.getHeaderString(name);
        if (v != null) {
            to.put(name, v);
        }
    }
}
