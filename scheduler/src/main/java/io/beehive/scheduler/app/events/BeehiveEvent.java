package io.beehive.scheduler.app.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of the {@code /v1/events} stream. {@code type} is also the SSE event name: {@code task} (a task's
 * state changed, appeared, or its record was removed) or {@code leader} (a new leader, or none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BeehiveEvent(
        String type,
        String at,
        String taskId,
        String jobId,
        String state,
        String previousState,
        String agentId,
        String leader,
        Long epoch) {

    public static BeehiveEvent task(String at, String taskId, String jobId, String state, String previousState,
                                    String agentId) {
        return new BeehiveEvent("task", at, taskId, jobId, state, previousState, agentId, null, null);
    }

    public static BeehiveEvent leader(String at, String leader, Long epoch) {
        return new BeehiveEvent("leader", at, null, null, null, null, null, leader, epoch);
    }
}
