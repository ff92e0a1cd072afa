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
 * @param updatedAtMillis when the task entered its current state: an update that repeats the state (a reconciliation
 *                     answer after each subscription, a health result, a re-sent copy) leaves it, because the clocks
 *                     that run from it (how long a task has been RUNNING for minReadySeconds, UNREACHABLE before it
 *                     is replaced, STAGING before it is stuck) measure time in the state, not since the last word
 * @param killAttempts KILL calls sent so far (the leader escalates and gives up by this count)
 * @param attempt      1 for the first launch of this slot, +1 per relaunch (restart policy and backoff)
 * @param ports        host ports allocated from the offer
 * @param killRequestedAtMillis when the leader first asked for this task's kill; null until then (and in records
 *                              written before this field existed)
 * @param backoff      the slot's restart backoff as it stood when this task failed; null if none (and in older
 *                     records)
 * @param runVersion   the job's run version this task was launched with (0 in records older than deployments)
 * @param healthChecked whether it was launched with a health check, so that "no result yet" means "not ready"
 * @param healthy      the last health check result the executor reported; null until the first one
 * @param healthChangedAtMillis when {@code healthy} last changed; null until the first result
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
        SlotBackoff backoff,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long runVersion,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean healthChecked,
        Boolean healthy,
        Long healthChangedAtMillis) {

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

    /** A record of a task launched before deployments existed (run version 0, no health check). */
    public TaskRecord(String taskId, String jobId, int instance, String agentId, String hostname, TaskState state,
                      LastStatus lastStatus, long launchedAtMillis, long updatedAtMillis, DesiredState desiredState,
                      int killAttempts, int attempt, List<Integer> ports, Long killRequestedAtMillis,
                      SlotBackoff backoff) {
        this(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis, updatedAtMillis,
                desiredState, killAttempts, attempt, ports, killRequestedAtMillis, backoff, 0, false, null, null);
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }

    /** The record after a status update; {@code newHealthy} null keeps the health as it was. */
    public TaskRecord withStatus(TaskState newState, LastStatus status, Boolean newHealthy, long nowMillis) {
        boolean changed = newHealthy != null && !newHealthy.equals(healthy);
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, newState, status, launchedAtMillis,
                newState == state ? updatedAtMillis : nowMillis, desiredState, killAttempts, attempt, ports, killRequestedAtMillis, backoff, runVersion,
                healthChecked, newHealthy != null ? newHealthy : healthy,
                changed ? Long.valueOf(nowMillis) : healthChangedAtMillis);
    }

    /** The record after a status update that says nothing of health. */
    public TaskRecord withStatus(TaskState newState, LastStatus status, long nowMillis) {
        return withStatus(newState, status, null, nowMillis);
    }

    /** A new record launched with run version {@code version} of its job, health-checked or not. */
    public TaskRecord launchedAs(long version, boolean checked) {
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis,
                updatedAtMillis, desiredState, killAttempts, attempt, ports, killRequestedAtMillis, backoff, version,
                checked, healthy, healthChangedAtMillis);
    }

    /** The record carrying the slot's restart backoff. */
    public TaskRecord withBackoff(SlotBackoff slotBackoff) {
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis,
                updatedAtMillis, desiredState, killAttempts, attempt, ports, killRequestedAtMillis, slotBackoff,
                runVersion, healthChecked, healthy, healthChangedAtMillis);
    }

    /** When the kill was first asked for; for records without that time, their last update. */
    public long killRequestedAtOrUpdated() {
        return killRequestedAtMillis != null ? killRequestedAtMillis : updatedAtMillis;
    }

    /** The record once the leader has decided to kill it and is about to send (another) KILL. */
    public TaskRecord withKillIntent(long nowMillis) {
        // updatedAtMillis stays the time the state was entered: the clocks that run from it (how long a task has been
        // unreachable, staging, ready) must not start again because Beehive decided to kill it. The kill has its own.
        return new TaskRecord(taskId, jobId, instance, agentId, hostname, state, lastStatus, launchedAtMillis,
                updatedAtMillis, DesiredState.KILLED, killAttempts + 1, attempt, ports,
                killRequestedAtMillis != null ? killRequestedAtMillis : Long.valueOf(nowMillis), backoff, runVersion,
                healthChecked, healthy, healthChangedAtMillis);
    }
}
