package io.beehive.scheduler.app.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of the {@code /v1/events} stream. {@code type} is also the SSE event name:
 * <ul>
 *   <li>{@code task}: a task record reached a new, durable state ({@code previousState} null for a new task);</li>
 *   <li>{@code leader}: a new leader took office ({@code leader}, {@code epoch}), or none leads ({@code leader}
 *       null);</li>
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
        String message) {

    public static final String TASK = "task";
    public static final String LEADER = "leader";
    public static final String DROPPED = "dropped";

    public static BeehiveEvent task(String at, String taskId, String jobId, String state, String previousState,
                                    String agentId) {
        return new BeehiveEvent(TASK, at, taskId, jobId, state, previousState, agentId, null, null, null);
    }

    public static BeehiveEvent leader(String at, String leader, Long epoch) {
        return new BeehiveEvent(LEADER, at, null, null, null, null, null, leader, epoch, null);
    }

    public static BeehiveEvent dropped(String at, String message) {
        return new BeehiveEvent(DROPPED, at, null, null, null, null, null, null, null, message);
    }
}
