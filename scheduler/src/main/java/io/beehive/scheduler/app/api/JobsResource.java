package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.view.StateView;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.scheduler.core.term.JobCreation;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

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
        Map<String, List<TaskRecord>> byJob = view.tasks().stream()
                .collect(Collectors.groupingBy(TaskRecord::jobId));
        long now = System.currentTimeMillis();
        List<JobView> jobs = view.jobs().stream().sorted(Comparator.comparing(JobRecord::id))
                .map(j -> JobView.of(j, byJob.getOrDefault(j.id(), List.of()), now)).toList();
        return ReadResponses.ok(view, jobs);
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        StateView view = views.current();
        JobRecord job = existing(view, id);
        return ReadResponses.builder(view, JobView.of(job, tasksOf(view, id), System.currentTimeMillis()))
                .tag(JobVersionTag.of(job)).build();
    }

    /** The deployment in progress with its counts, and the last ones that ended, newest first. */
    @GET
    @Path("/{id}/deployments")
    public Response deployments(@PathParam("id") String id) {
        StateView view = views.current();
        JobRecord job = existing(view, id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", id);
        body.put("runVersion", job.runVersion());
        body.put("upgradeStrategy", job.upgradeStrategy());
        if (job.deployment() != null) {
            body.put("current", Map.of("deployment", job.deployment(), "progress", JobView.of(job, tasksOf(view, id),
                    System.currentTimeMillis()).deploymentProgress()));
        }
        body.put("history", job.deploymentHistory());
        return ReadResponses.ok(view, body);
    }

    /**
     * 201 with the new job; 200 with the existing one when a job of this id and the same definition exists (a
     * retried create whose first answer was lost lands here); 409 when the job of this id is another one. The
     * leader decides which inside its loop, so two identical creates racing both succeed.
     */
    @POST
    public Response create(@NotNull(message = "must be a job") @Valid JobSpec spec) {
        JobCreation outcome = commands.await(scheduler().createJobOrFindIdentical(
                spec.toRecord(System.currentTimeMillis())));
        JobRecord job = outcome.job();
        LOG.info("API: job {} {}", job.id(), outcome.created() ? "created" : "exists already, as asked");
        java.net.URI location = UriBuilder.fromResource(JobsResource.class).path(job.id()).build();
        Response.ResponseBuilder answer = outcome.created() ? Response.created(location)
                : Response.ok().location(location);
        return answer.tag(JobVersionTag.of(job)).entity(job).build();
    }

    /**
     * Changes a job. {@code instances} alone scales; a change of what runs makes a new version, which a SERVICE
     * reaches by a deployment (409 while another runs, unless {@code force=true}).
     */
    @PATCH
    @Path("/{id}")
    public Response update(@PathParam("id") String id, @QueryParam("force") boolean force,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @NotNull(message = "must list the fields to change") @Valid JobPatch patch) {
        OptionalLong expected = JobVersionTag.ifMatch(ifMatch);
        JobRecord job = runningJob(id);
        if (patch.instances() != null && job.kind() != JobKind.SERVICE) {
            throw ApiProblem.conflict("job " + id + " is a " + job.kind() + " job: only SERVICE jobs scale");
        }
        if (!patch.changesRun() && patch.upgradeStrategy() == null) {
            JobRecord scaled = commands.await(scheduler().scaleJob(id, patch.instances(), expected));
            LOG.info("API: job {} scaled to {}", id, scaled.instances());
            return Response.ok(scaled).tag(JobVersionTag.of(scaled)).build();
        }
        // The patch is applied to the job as read here: with If-Match, that must be the version the client saw
        // (checked again by the leader's loop, atomically with the write).
        JobVersionTag.check(job, expected);
        JobRecord updated = commands.await(scheduler().updateJob(patch.applyTo(job), force, expected));
        LOG.info("API: job {} updated (run version {}{})", id, updated.runVersion(),
                updated.deployment() == null ? "" : ", deployment " + updated.deployment().id());
        return Response.ok(updated).tag(JobVersionTag.of(updated)).build();
    }

    /** A rolling restart for a SERVICE (a deployment to a new version of the same definition); all at once otherwise. */
    @POST
    @Path("/{id}/restart")
    public Response restart(@PathParam("id") String id, @QueryParam("force") boolean force) {
        runningJob(id);
        JobRecord restarted = commands.await(scheduler().restartJob(id, force));
        LOG.info("API: job {} restarting{}", id, restarted.deployment() == null ? ""
                : " (deployment " + restarted.deployment().id() + ")");
        return Response.accepted(restarted).build();
    }

    @POST
    @Path("/{id}/rollback")
    public Response rollback(@PathParam("id") String id) {
        runningJob(id);
        JobRecord back = commands.await(scheduler().rollbackJob(id));
        LOG.info("API: job {} rolling back to version {} (deployment {})", id, back.runVersion(),
                back.deployment().id());
        return Response.accepted(back).build();
    }

    @DELETE
    @Path("/{id}/deployment")
    public Response cancelDeployment(@PathParam("id") String id) {
        runningJob(id);
        JobRecord stopped = commands.await(scheduler().cancelDeployment(id));
        LOG.info("API: job {} deployment cancelled", id);
        return Response.accepted(stopped).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        OptionalLong expected = JobVersionTag.ifMatch(ifMatch);
        JobRecord job = existing(views.current(), id);
        if (job.goal() == JobGoal.DELETED) {
            throw ApiProblem.conflict("job " + id + " is already being deleted");
        }
        JobRecord deleted = commands.await(scheduler().deleteJob(id, expected));
        LOG.info("API: job {} deleted", id);
        return Response.accepted(deleted).build();
    }

    private JobRecord runningJob(String id) {
        JobRecord job = existing(views.current(), id);
        if (job.goal() == JobGoal.DELETED) {
            throw ApiProblem.conflict("job " + id + " is being deleted");
        }
        return job;
    }

    private static List<TaskRecord> tasksOf(StateView view, String jobId) {
        return view.tasks().stream().filter(t -> t.jobId().equals(jobId)).toList();
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
