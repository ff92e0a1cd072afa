package io.beehive.scheduler.core.term;

import com.google.protobuf.ByteString;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.LastStatus;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Status updates: the new state is written first and acknowledged only once durable (invariant 4), never while
 * SUSPENDED. A task that ended frees its slot: a failure starts the slot's backoff, anything else is replaced at
 * once. A task we already replaced that says it runs is killed; one we never heard of is killed if so configured.
 */
final class StatusUpdateHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StatusUpdateHandler.class);

    private final TermContext ctx;
    private final AckWindow acks;
    private final KillSender kills;
    private final RestartTracker restarts;
    private final OfferFlow offerFlow;
    private final DeletedJobRemover remover;
    private final TaskHistory history;
    private final StuckLaunchProbe probe;
    private final Consumer<String> answered;
    private final DeploymentDriver deployments;
    /** Task id → record writes of its updates submitted and not answered yet. */
    private final Map<String, Integer> writesInFlight = new HashMap<>();

    /** @param answered told of every update's task id: it answers a reconciliation in progress */
    StatusUpdateHandler(TermContext ctx, AckWindow acks, KillSender kills, RestartTracker restarts,
                        OfferFlow offerFlow, DeletedJobRemover remover, TaskHistory history, StuckLaunchProbe probe,
                        Consumer<String> answered, DeploymentDriver deployments) {
        this.ctx = ctx;
        this.acks = acks;
        this.kills = kills;
        this.restarts = restarts;
        this.offerFlow = offerFlow;
        this.remover = remover;
        this.history = history;
        this.probe = probe;
        this.answered = answered;
        this.deployments = deployments;
    }

    void onStatus(TaskStatus status) {
        ctx.metrics.updatesReceived.inc();
        String taskId = status.getTaskId().getValue();
        TaskState newState = TaskStates.fromMesos(status.getState());
        boolean needsAck = status.hasUuid() && !status.getUuid().isEmpty();
        if (needsAck) {
            ctx.metrics.updatesAcknowledgeable.inc();
        }
        TaskRecord rec = ctx.book.task(taskId);
        if (rec == null) {
            unknownTask(status, newState, needsAck);
        } else if (TaskStates.isGone(rec.state()) && !TaskStates.isGone(newState)) {
            // We replaced this task already; it must not run next to its successor.
            LOG.warn("Term {}: task {} reported {} but was recorded {}; killing it", ctx.number, taskId, newState,
                    rec.state());
            kills.send(taskId, status.hasAgentId() ? status.getAgentId().getValue() : rec.agentId());
            acknowledgeNow(status, needsAck);
        } else if (rec.state() == newState && !needsAck) {
            LOG.trace("Term {}: {} confirmed {}", ctx.number, taskId, newState);
        } else if (needsAck && isResentCopy(rec, status, newState)) {
            resentCopy(rec, status, newState);
        } else {
            record(rec, status, newState, needsAck);
        }
        answered.accept(taskId);
    }

    /** The agent sends an update again until acknowledged; under a backlog longer than its retry, copies arrive. */
    private static boolean isResentCopy(TaskRecord rec, TaskStatus status, TaskState newState) {
        return rec.state() == newState && rec.lastStatus() != null
                && uuidText(status.getUuid()).equals(rec.lastStatus().uuid());
    }

    /**
     * A copy of the update the record already holds costs no second write: while the first write is in flight its
     * completion acknowledges (the ack window merges copies); once it is durable the copy is acknowledged at once;
     * only if it failed is it written again. Invariant 4 holds in each case: nothing is acknowledged before it is
     * durable.
     */
    private void resentCopy(TaskRecord rec, TaskStatus status, TaskState newState) {
        String taskId = rec.taskId();
        if (ctx.book.isAheadOfStore(taskId)) {
            record(rec, status, newState, true);
            return;
        }
        ctx.metrics.updatesResent.inc();
        if (!writesInFlight.containsKey(taskId)) {
            acknowledgeNow(status, true);
        }
    }

    private void unknownTask(TaskStatus status, TaskState state, boolean needsAck) {
        String taskId = status.getTaskId().getValue();
        if (!TaskStates.isGone(state) && ctx.config.killUnknownTasks() && ctx.gate.current()) {
            LOG.warn("Term {}: Mesos reports task {} ({}) that Beehive has no record of; killing it", ctx.number,
                    taskId, state);
            kills.send(taskId, status.hasAgentId() ? status.getAgentId().getValue() : null);
        }
        acknowledgeNow(status, needsAck); // nothing of ours to persist
    }

    private void acknowledgeNow(TaskStatus status, boolean needsAck) {
        if (needsAck && ctx.gate.mayAcknowledge()) {
            acks.acknowledge(status);
        }
    }

    /** Invariant 4: write the new state; only when it is durable, acknowledge. */
    private void record(TaskRecord rec, TaskStatus status, TaskState newState, boolean needsAck) {
        long now = System.currentTimeMillis();
        LastStatus last = new LastStatus(needsAck ? uuidText(status.getUuid()) : null,
                status.hasMessage() ? status.getMessage() : null,
                status.hasReason() ? status.getReason().name() : null,
                status.hasSource() ? status.getSource().name() : null,
                status.hasTimestamp() ? (long) (status.getTimestamp() * 1000) : now);
        boolean becameGone = TaskStates.isGone(newState) && !TaskStates.isGone(rec.state());
        Boolean healthy = status.hasHealthy() ? status.getHealthy() : null;
        TaskRecord updated = rec.withStatus(newState, last, healthy, now);
        boolean healthChanged = healthy != null && !healthy.equals(rec.healthy());
        if (becameGone) {
            updated = withRestartBackoff(updated, now);
        }
        TaskRecord written = updated;
        ctx.book.putTask(written);
        if (becameGone) {
            history.mark(rec.jobId()); // pruned on the next housekeeping tick: once per job, not per task
        }
        String taskId = rec.taskId();
        writesInFlight.merge(taskId, 1, Integer::sum);
        ctx.writer.submit(b -> b.putTask(written), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                writeAnswered(taskId, true);
                if (newState != rec.state()) {
                    ctx.events.taskStateChanged(written, rec.state());
                }
                if (healthChanged) {
                    ctx.events.taskHealthChanged(written);
                }
                if (Boolean.FALSE.equals(healthy)) {
                    ctx.metrics.healthFailures.inc();
                }
                if (newState != rec.state() || healthChanged) {
                    deployments.evaluate(written.jobId());
                }
                if (!needsAck) {
                    return;
                }
                if (ctx.gate.mayAcknowledge()) {
                    acks.acknowledge(status);
                } else {
                    LOG.debug("Term {}: not acknowledging {} of {} (phase {}); Mesos will resend it", ctx.number,
                            newState, rec.taskId(), ctx.gate.phase());
                }
            }

            @Override
            public void failed(Throwable error) {
                writeAnswered(taskId, false);
                ctx.metrics.updatesUnpersisted.inc();
                LOG.warn("Term {}: {} of task {} not persisted ({}); not acknowledged, Mesos will resend it",
                        ctx.number, newState, rec.taskId(), error.toString());
            }
        });
        if (becameGone) {
            taskGone(written);
        }
    }

    private void writeAnswered(String taskId, boolean durable) {
        writesInFlight.computeIfPresent(taskId, (id, n) -> n == 1 ? null : n - 1);
        ctx.book.writeAnswered(taskId, durable);
    }

    /**
     * A task that failed by itself starts (or extends) its slot's backoff. The backoff travels in the same write as
     * the failure, so a new leader that sees the failure also sees how long the slot must wait.
     */
    private TaskRecord withRestartBackoff(TaskRecord task, long now) {
        JobRecord job = ctx.book.job(task.jobId());
        if (job == null || job.goal() == JobGoal.DELETED || task.desiredState() != DesiredState.RUNNING
                || !countsAsFailure(job, task.state())) {
            return task;
        }
        return task.withBackoff(restarts.failed(DemandPlanner.slotOf(job, task), job.restartPolicy(), now));
    }

    private static String uuidText(ByteString uuid) {
        if (uuid.size() == 16) {
            ByteBuffer b = uuid.asReadOnlyByteBuffer();
            return new UUID(b.getLong(), b.getLong()).toString();
        }
        return Base64.getEncoder().encodeToString(uuid.toByteArray());
    }

    private void taskGone(TaskRecord task) {
        kills.forget(task.taskId());
        probe.forget(task.taskId());
        JobRecord job = ctx.book.job(task.jobId());
        if (job == null) {
            return;
        }
        if (job.goal() == JobGoal.DELETED) {
            remover.removeIfDone(job);
            return;
        }
        LOG.info("Term {}: task {} of job {} is {}{}{}", ctx.number, task.taskId(), job.id(), task.state(),
                task.lastStatus() == null || task.lastStatus().reason() == null ? ""
                        : " (" + task.lastStatus().reason() + ")",
                Boolean.FALSE.equals(task.healthy()) ? ", last health check failed" : "");
        if (task.backoff() != null) {
            long delay = task.backoff().notBeforeMillis() - System.currentTimeMillis();
            if (delay > 0) {
                ctx.loop.schedule("backoff end", () -> offerFlow.want(false), Duration.ofMillis(delay));
            }
        }
        offerFlow.want(true);
    }

    /** A task that failed by itself backs off; one the infrastructure lost is replaced at once. */
    private static boolean countsAsFailure(JobRecord job, TaskState state) {
        return switch (state) {
            case TASK_FAILED, TASK_ERROR, TASK_KILLED -> true;
            case TASK_FINISHED -> job.kind() != JobKind.BATCH;
            default -> false;
        };
    }
}
