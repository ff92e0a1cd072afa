package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.view.StateView;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code /v1/tasks}: list (filter by job and state), get, kill. */
@Path("/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TasksResource {
    private static final Logger LOG = LoggerFactory.getLogger(TasksResource.class);
    private final ReplicaRuntime runtime;
    private final StateViews views;
    private final CommandRunner commands;

    public TasksResource(ReplicaRuntime runtime, StateViews views, CommandRunner commands) {
        this.runtime = runtime;
        this.views = views;
        this.commands = commands;
    }

    /** @param state a Mesos task state name ({@code TASK_RUNNING}) or its short form ({@code running}) */
    @GET
    public Response list(@QueryParam("job") String job, @QueryParam("state") String state) {
        TaskState wanted = state == null || state.isBlank() ? null : parseState(state);
        StateView view = views.current();
        Stream<TaskRecord> tasks = view.tasks().stream();
        if (job != null && !job.isBlank()) {
            tasks = tasks.filter(t -> t.jobId().equals(job));
        }
        if (wanted != null) {
            tasks = tasks.filter(t -> t.state() == wanted);
        }
        List<TaskRecord> result = tasks.sorted(Comparator.comparing(TaskRecord::jobId)
                .thenComparing(TaskRecord::instance).thenComparing(TaskRecord::taskId)).toList();
        return ReadResponses.ok(view, result);
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        StateView view = views.current();
        return ReadResponses.ok(view, existing(view, id));
    }

    @POST
    @Path("/{id}/kill")
    public Response kill(@PathParam("id") String id) {
        TaskRecord task = existing(views.current(), id);
        if (task.state().isTerminal()) {
            throw ApiProblem.conflict("task " + id + " is already " + task.state());
        }
        commands.await(runtime.scheduler().killTask(id));
        LOG.info("API: task {} of job {} killed", id, task.jobId());
        return Response.accepted(Map.of("task", id, "status", "kill sent")).build();
    }

    private static TaskRecord existing(StateView view, String id) {
        if (!Ids.valid(id)) {
            throw ApiProblem.notFound("no task " + id);
        }
        return view.task(id).orElseThrow(() -> ApiProblem.notFound("no task " + id));
    }

    static TaskState parseState(String state) {
        String name = state.trim().toUpperCase(java.util.Locale.ROOT);
        String full = name.startsWith("TASK_") ? name : "TASK_" + name;
        return Arrays.stream(TaskState.values()).filter(s -> s.name().equals(full)).findFirst()
                .orElseThrow(() -> ApiProblem.invalid("query parameter state must be a task state such as "
                        + "TASK_RUNNING or running, got '" + state + "'"));
    }
}
