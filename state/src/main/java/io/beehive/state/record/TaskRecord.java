package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One task, stored at {@code <root>/tasks/<bucket>/<taskId>}. Written in TASK_STAGING before the LAUNCH is sent
 * (invariant 3) and rewritten on every status update before that update is acknowledged (invariant 4).
 *
 * <p>Times are epoch milliseconds as primitives, not {@code Instant}s: a leader holds every task in memory, and
 * this keeps a loaded record small.
 *
 * @param instance     the SERVICE slot this task fills (0-based); 0 for BATCH and DAEMON
 * @param agentId      empty until the task is placed
 * @param lastStatus   absent until the first status update
 * @param killAttempts KILL calls sent so far (the leader escalates and gives up by this count)
 * @param attempt      1 for the first launch of this slot, +1 per relaunch (restart policy and backoff)
 * @param ports        host ports allocated from the offer
 * @param killRequestedAtMillis when the leader first asked for this task's kill; null until then (and in records
 *                              written before this field existed)
 * @param backoff      the slot's restart backoff as it stood when this task failed; null if none (and in older
 *                     records)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRecord(
        String taskId,
        String jobId,
        int instance,
        String agentId,
        String hostname,
        TaskState state,
        LastStatus lastStatus,
        long launchedAtMillis,
        long updatedAtMillis,
        DesiredState desiredState,
        int killAttempts,
        int attempt,
        List<Integer> ports,
        Long killRequestedAtMillis,
        SlotBackoff backoff) {

    public TaskRecord {
        Checks.id(taskId, "task id");
        Checks.id(jobId, "job id of task", taskId);
        if (instance < 0) {
            throw new IllegalArgumentException("task " + taskId + " instance must not be negative, got " + instance);
        }
        state = state == null ? TaskState.TASK_UNKNOWN : state;
        desiredState = desiredState == null ? DesiredState.RUNNING : desiredState;
        ports = ports == null || ports.isEmpty() ? List.of() : List.copyOf(ports);
    }

    /** A record without a kill time or a backoff. */
    public TaskRecord(String taskId, String jobId, int instance, String agentId, String hostname, TaskState state,
                      LastStatus lastStatus, long launchedAtMillis, long updatedAtMillis, DesiredState desiredState,
                      int killAttempts, int attempt, List<Integer> ports) {
        this(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis, updatedAtMillis,
                desiredState, killAttempts, attempt, ports, null, null);
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }

    /** The record after a status update. */
    public TaskRecord withStatus(TaskState newState, LastStatus status, long nowMillis) {
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, newState, status, launchedAtMillis,
                nowMillis, desiredState, killAttempts, attempt, ports, killRequestedAtMillis, backoff);
    }

    /** The record carrying the slot's restart backoff. */
    public TaskRecord withBackoff(SlotBackoff slotBackoff) {
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis,
                updatedAtMillis, desiredState, killAttempts, attempt, ports, killRequestedAtMillis, slotBackoff);
    }

    /** When the kill was first asked for; for records without that time, their last update. */
    public long killRequestedAtOrUpdated() {
        return killRequestedAtMillis != null ? killRequestedAtMillis : updatedAtMillis;
    }

    /** The record once the leader has decided to kill it and is about to send (another) KILL. */
    public TaskRecord withKillIntent(long nowMillis) {
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis,
                nowMillis, DesiredState.KILLED, killAttempts + 1, attempt, ports,
                killRequestedAtMillis != null ? killRequestedAtMillis : Long.valueOf(nowMillis), backoff);
    }
}
