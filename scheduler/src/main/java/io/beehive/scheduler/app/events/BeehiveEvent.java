package io.beehive.scheduler.app.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of the {@code /v1/events} stream. {@code type} is also the SSE event name:
 * <ul>
 *   <li>{@code task}: a task record reached a new, durable state ({@code previousState} null for a new task);</li>
 *   <li>{@code leader}: a new leader took office ({@code leader}, {@code epoch}), or none leads ({@code leader}
 *       null);</li>
 *   <li>{@code health}: a task's executor reported a new health check result ({@code healthy}), persisted;</li>
 *   <li>{@code deployment}: a job's deployment ({@code deploymentId}) changed: {@code state} is one of started, step,
 *       succeeded, failed, rolled-back, cancelled, replaced; {@code message} says why or how far it got;</li>
 *   <li>{@code dropped}: the last event of a stream the server closes because the client read too slowly
 *       ({@code message} says so): reconnect and re-read {@code /v1/tasks}.</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BeehiveEvent(
        String type,
        String at,
        String taskId,
        String jobId,
        String state,
        String previousState,
        String agentId,
        String leader,
        Long epoch,
        String message,
        Boolean healthy,
        String deploymentId) {

    public static final String TASK = "task";
    public static final String LEADER = "leader";
    public static final String DROPPED = "dropped";
    public static final String HEALTH = "health";
    public static final String DEPLOYMENT = "deployment";

    public static BeehiveEvent task(String at, String taskId, String jobId, String state, String previousState,
                                    String agentId) {
        return new BeehiveEvent(TASK, at, taskId, jobId, state, previousState, agentId, null, null, null, null,
                null);
    }

    public static BeehiveEvent leader(String at, String leader, Long epoch) {
        return new BeehiveEvent(LEADER, at, null, null, null, null, null, leader, epoch, null, null, null);
    }

    public static BeehiveEvent dropped(String at, String message) {
        return new BeehiveEvent(DROPPED, at, null, null, null, null, null, null, null, message, null, null);
    }

    public static BeehiveEvent health(String at, String taskId, String jobId, String state, boolean healthy,
                                      String agentId) {
        return new BeehiveEvent(HEALTH, at, taskId, jobId, state, null, agentId, null, null, null, healthy, null);
    }

    public static BeehiveEvent deployment(String at, String jobId, String deploymentId, String change,
                                          String message) {
        return new BeehiveEvent(DEPLOYMENT, at, null, jobId, change, null, null, null, null, message, null,
                deploymentId);
    }
}
