package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.view.StateView;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.TaskRecord;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code /v1/agents}: the agents Beehive knows, and the blacklist. */
@Path("/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentsResource {
    private static final Logger LOG = LoggerFactory.getLogger(AgentsResource.class);
    private final ReplicaRuntime runtime;
    private final StateViews views;
    private final CommandRunner commands;

    public AgentsResource(ReplicaRuntime runtime, StateViews views, CommandRunner commands) {
        this.runtime = runtime;
        this.views = views;
        this.commands = commands;
    }

    @GET
    public Response list() {
        StateView view = views.current();
        Map<String, String> hostnames = new HashMap<>();
        Map<String, Integer> active = new HashMap<>();
        for (TaskRecord t : view.tasks()) {
            if (t.agentId() == null || t.agentId().isEmpty()) {
                continue;
            }
            if (t.hostname() != null) {
                hostnames.put(t.agentId(), t.hostname());
            }
            active.merge(t.agentId(), t.state().isTerminal() ? 0 : 1, Integer::sum);
        }
        Map<String, BlacklistEntry> blacklist = new HashMap<>();
        view.blacklist().forEach(b -> blacklist.put(b.agentId(), b));
        Map<String, AgentView> agents = new TreeMap<>();
        for (String id : active.keySet()) {
            agents.put(id, view(id, hostnames.get(id), active.get(id), blacklist.get(id)));
        }
        blacklist.forEach((id, b) -> agents.putIfAbsent(id, view(id, null, 0, b)));
        return ReadResponses.ok(view, agents.values());
    }

    @PUT
    @Path("/{id}/blacklist")
    @Consumes(MediaType.APPLICATION_JSON)
    public BlacklistEntry blacklist(@PathParam("id") String id, @Valid BlacklistRequest request) {
        requireValidId(id);
        String reason = request == null || request.reason() == null ? "blacklisted through the API" : request.reason();
        BlacklistEntry entry = commands.await(runtime.scheduler().blacklistAgent(id, reason));
        LOG.info("API: agent {} blacklisted ({})", id, reason);
        return entry;
    }

    @DELETE
    @Path("/{id}/blacklist")
    public Response unblacklist(@PathParam("id") String id) {
        requireValidId(id);
        if (views.current().blacklist().stream().noneMatch(b -> b.agentId().equals(id))) {
            throw ApiProblem.notFound("agent " + id + " is not blacklisted");
        }
        commands.await(runtime.scheduler().unblacklistAgent(id));
        LOG.info("API: agent {} taken off the blacklist", id);
        return Response.noContent().build();
    }

    private static void requireValidId(String id) {
        if (!Ids.valid(id)) {
            throw ApiProblem.invalid("agent id must be " + Ids.RULE + ", got '" + id + "'");
        }
    }

    private static AgentView view(String id, String hostname, int activeTasks, BlacklistEntry b) {
        return new AgentView(id, hostname, activeTasks, b != null, b == null ? null : b.reason(),
                b == null ? null : b.sinceMillis());
    }
}
