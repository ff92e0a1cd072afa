package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.view.StateView;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/jobs}. Writes reach this class only on the leader (a follower forwards them, see
 * {@code LeaderProxyFilter}); they check what the leader's memory says first, so that an unknown job is a 404 and a
 * duplicate a 409, and the core rechecks inside its event loop (a race between two requests then ends as 409).
 */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobsResource {
    private static final Logger LOG = LoggerFactory.getLogger(JobsResource.class);
    private final ReplicaRuntime runtime;
    private final StateViews views;
    private final CommandRunner commands;

    public JobsResource(ReplicaRuntime runtime, StateViews views, CommandRunner commands) {
        this.runtime = runtime;
        this.views = views;
        this.commands = commands;
    }

    @GET
    public Response list() {
        StateView view = views.current();
        List<JobRecord> jobs = view.jobs().stream().sorted(Comparator.comparing(JobRecord::id)).toList();
        return ReadResponses.ok(view, jobs);
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        StateView view = views.current();
        return ReadResponses.ok(view, existing(view, id));
    }

    @POST
    public Response create(@NotNull(message = "the request body must be a job") @Valid JobSpec spec) {
        StateView view = views.current();
        view.job(spec.id()).ifPresent(j -> {
            throw ApiProblem.conflict("job " + spec.id() + " already exists"
                    + (j.goal() == JobGoal.DELETED ? " (it is being deleted)" : ""));
        });
        JobRecord created = commands.await(scheduler().createJob(spec.toRecord(System.currentTimeMillis())));
        LOG.info("API: job {} created", created.id());
        return Response.created(UriBuilder.fromResource(JobsResource.class).path(created.id()).build())
                .entity(created).build();
    }

    @PATCH
    @Path("/{id}")
    public JobRecord update(@PathParam("id") String id,
                            @NotNull(message = "the request body must list the fields to change") @Valid JobPatch patch) {
        JobRecord job = existing(views.current(), id);
        if (job.goal() == JobGoal.DELETED) {
            throw ApiProblem.conflict("job " + id + " is being deleted");
        }
        if (patch.instances() != null && job.kind() != JobKind.SERVICE) {
            throw ApiProblem.conflict("job " + id + " is a " + job.kind() + " job: only SERVICE jobs scale");
        }
        if (patch.command() == null && patch.argv() == null) {
            JobRecord scaled = commands.await(scheduler().scaleJob(id, patch.instances()));
            LOG.info("API: job {} scaled to {}", id, scaled.instances());
            return scaled;
        }
        JobRecord changed = patch.applyTo(job);
        JobRecord updated = commands.await(scheduler().updateJob(changed));
        LOG.info("API: job {} updated to version {} (its tasks are replaced)", id, updated.version());
        return updated;
    }

    @POST
    @Path("/{id}/restart")
    public Response restart(@PathParam("id") String id) {
        JobRecord job = existing(views.current(), id);
        if (job.goal() == JobGoal.DELETED) {
            throw ApiProblem.conflict("job " + id + " is being deleted");
        }
        BeehiveScheduler s = scheduler();
        List<String> live = s.tasksOf(id).stream().filter(t -> !t.state().isTerminal()).map(TaskRecord::taskId)
                .toList();
        commands.await(s.restartJob(id));
        LOG.info("API: job {} restarting ({} live tasks killed, each replaced)", id, live.size());
        return Response.accepted(Map.of("job", id, "killedTasks", live)).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        JobRecord job = existing(views.current(), id);
        if (job.goal() == JobGoal.DELETED) {
            throw ApiProblem.conflict("job " + id + " is already being deleted");
        }
        JobRecord deleted = commands.await(scheduler().deleteJob(id));
        LOG.info("API: job {} deleted", id);
        return Response.accepted(deleted).build();
    }

    private BeehiveScheduler scheduler() {
        return runtime.scheduler();
    }

    private static JobRecord existing(StateView view, String id) {
        if (!Ids.valid(id)) {
            throw ApiProblem.notFound("no job " + id + " (job ids are " + Ids.RULE + ")");
        }
        return view.job(id).orElseThrow(() -> ApiProblem.notFound("no job " + id));
    }
}
