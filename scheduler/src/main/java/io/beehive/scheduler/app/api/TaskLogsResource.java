package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.logs.LogFollow;
import io.beehive.scheduler.app.logs.LogUnavailableException;
import io.beehive.scheduler.app.logs.TaskLogs;
import io.beehive.scheduler.app.view.StateView;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.state.record.TaskRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ChunkedOutput;

import java.util.OptionalLong;

/**
 * {@code GET /v1/tasks/{id}/logs/{stdout|stderr}}: a window of the task's sandbox file read from its agent, or with
 * {@code follow=true} a stream of server-sent events as the file grows. Every replica answers by itself (a read:
 * never forwarded to the leader), with {@code X-Beehive-Served-By} like other reads.
 */
@Path("/v1/tasks/{id}/logs/{file}")
public class TaskLogsResource {
    private final StateViews views;
    private final TaskLogs logs;
    private final long retryAfterSeconds;

    public TaskLogsResource(StateViews views, TaskLogs logs, long retryAfterSeconds) {
        this.views = views;
        this.logs = logs;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @GET
    public Response read(@PathParam("id") String id, @PathParam("file") String file,
                         @QueryParam("offset") String offsetParam, @QueryParam("length") String lengthParam,
                         @QueryParam("follow") String followParam) {
        return answer(id, file, offsetParam, lengthParam, followParam, true);
    }

    /**
     * The GET's status and headers. Explicit because Jersey answers HEAD by running the GET, and a follow's GET
     * lasts as long as the task: here a follow is checked but not started.
     */
    @HEAD
    public Response head(@PathParam("id") String id, @PathParam("file") String file,
                         @QueryParam("offset") String offsetParam, @QueryParam("length") String lengthParam,
                         @QueryParam("follow") String followParam) {
        return answer(id, file, offsetParam, lengthParam, followParam, false);
    }

    private Response answer(String id, String file, String offsetParam, String lengthParam, String followParam,
                            boolean stream) {
        boolean follow = flag(followParam);
        OptionalLong offset = offsetParam == null ? OptionalLong.empty()
                : OptionalLong.of(number("offset", offsetParam, 0, Long.MAX_VALUE));
        long max = logs.config().maxBytesPerRequest();
        long length = lengthParam == null ? logs.config().defaultBytes()
                : number("length", lengthParam, 0, Long.MAX_VALUE);
        if (length > max) {
            throw ApiProblem.of(400, "length must be at most " + max + " bytes (api.logs.maxBytesPerRequest), got "
                    + length + "; read the file in windows");
        }
        StateView view = views.current();
        if (!Ids.valid(id)) {
            throw ApiProblem.notFound("no task " + id);
        }
        TaskRecord task = view.task(id).orElseThrow(() -> ApiProblem.notFound("no task " + id));
        if (!TaskLogs.FILES.contains(file)) {
            throw ApiProblem.notFound("no log file " + file + " (a task has stdout and stderr)");
        }
        try {
            if (follow && !stream) {
                logs.window(task, view.frameworkId(), file, OptionalLong.of(0), 0); // the same checks, no stream
                return ReadResponses.builder(view, null).type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
            }
            return follow ? follow(view, task, file, offset, length) : window(view, task, file, offset, length);
        } catch (LogUnavailableException e) {
            throw ApiProblem.of(e.status(), e.getMessage());
        }
    }

    private Response window(StateView view, TaskRecord task, String file, OptionalLong offset, long length) {
        return ReadResponses.ok(view, logs.window(task, view.frameworkId(), file, offset, length));
    }

    private Response follow(StateView view, TaskRecord task, String file, OptionalLong offset, long tail) {
        if (!logs.tryAcquireFollower()) {
            throw new WebApplicationException(ApiProblem.unavailableResponse("too many log follows are open on this "
                    + "replica (api.logs.maxFollowers); retry later", retryAfterSeconds, null, WriteApplied.NO));
        }
        LogFollow stream;
        try {
            stream = logs.follow(task, view.frameworkId(), file, offset, tail,
                    () -> views.current().task(task.taskId()).map(t -> t.state().isTerminal()).orElse(true));
        } catch (RuntimeException e) {
            logs.releaseFollower();
            throw e;
        }
        // a ChunkedOutput sends each piece at once; a StreamingOutput's flush is ignored by Jersey until 8 KiB
        // have been buffered (its Content-Length buffer)
        ChunkedOutput<String> body = new ChunkedOutput<>(String.class);
        logs.stream(stream, body::write, () -> {
            try {
                body.close();
            } catch (java.io.IOException e) {
                // the client is gone already
            }
        });
        return ReadResponses.builder(view, body).type(MediaType.SERVER_SENT_EVENTS_TYPE)
                .header("Cache-Control", "no-cache").build();
    }

    private static boolean flag(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiProblem.of(400, "query parameter follow must be true or false, got '" + value + "'");
    }

    private static long number(String name, String value, long min, long maxValue) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.of(400, "query parameter " + name + " must be a whole number of bytes, got '" + value
                    + "'");
        }
        if (n < min || n > maxValue) {
            throw ApiProblem.of(400, "query parameter " + name + " must be at least " + min + ", got " + n);
        }
        return n;
    }
}
