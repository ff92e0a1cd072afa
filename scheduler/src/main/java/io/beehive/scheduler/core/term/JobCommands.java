package io.beehive.scheduler.core.term;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What operators ask of jobs, tasks and agents, run on the term's loop. Each change is written first and applied to
 * the book only once durable, so a caller that hears "done" can rely on a new leader knowing it too. A command
 * that cannot apply is refused with {@link CommandRejectedException} (the API answers 4xx), never half-done.
 */
final class JobCommands {
    private static final Logger LOG = LoggerFactory.getLogger(JobCommands.class);

    private final TermContext ctx;
    private final TaskKiller killer;
    private final DeletedJobRemover remover;
    private final OfferFlow offerFlow;

    JobCommands(TermContext ctx, TaskKiller killer, DeletedJobRemover remover, OfferFlow offerFlow) {
        this.ctx = ctx;
        this.killer = killer;
        this.remover = remover;
        this.offerFlow = offerFlow;
    }

    void create(JobRecord job, CompletableFuture<JobRecord> result) {
        JobRecord existing = ctx.book.job(job.id());
        if (existing != null) {
            throw new CommandRejectedException("job " + job.id() + " already exists"
                    + (existing.goal() == JobGoal.DELETED ? " (it is being deleted)" : ""));
        }
        if (job.goal() != JobGoal.RUNNING) {
            throw new CommandRejectedException("a new job must have goal RUNNING");
        }
        ctx.writer.submit(b -> b.putJob(job), completing(result, job, () -> {
            ctx.book.putJob(job);
            LOG.info("Term {}: job {} created ({} x {})", ctx.number, job.id(), job.kind(), job.instances());
            offerFlow.want(true);
        }));
    }

    void scale(String jobId, int instances, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId);
        if (job.kind() == JobKind.DAEMON) {
            throw new CommandRejectedException("job " + jobId + " is a daemon: it runs one task per agent");
        }
        if (instances < 0) {
            throw new CommandRejectedException("instances must not be negative, got " + instances);
        }
        JobRecord scaled = new JobRecord(job.id(), job.kind(), job.command(), job.environment(), job.resources(),
                instances, job.constraints(), job.restartPolicy(), job.killGracePeriodMillis(), job.goal(),
                job.version() + 1, job.createdAtMillis(), System.currentTimeMillis());
        ctx.writer.submit(b -> b.putJob(scaled), completing(result, scaled, () -> {
            ctx.book.putJob(scaled);
            LOG.info("Term {}: job {} scaled {} -> {}", ctx.number, jobId, job.instances(), instances);
            List<TaskRecord> excess = ctx.book.tasksOf(jobId).stream()
                    .filter(t -> !TaskStates.isGone(t.state()) && t.desiredState() == DesiredState.RUNNING
                            && t.instance() >= instances)
                    .toList();
            killer.kill(excess, "job " + jobId + " scaled down");
            offerFlow.want(true);
        }));
    }

    /**
     * Replaces the job's definition (command, resources, constraints, instances, …) and then every live task, so
     * all of them run the new definition. The new record's id and kind must match; its version is set here.
     */
    void update(JobRecord update, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(update.id());
        if (update.kind() != job.kind()) {
            throw new CommandRejectedException("job " + job.id() + " is a " + job.kind() + "; its kind cannot change");
        }
        JobRecord next = new JobRecord(job.id(), job.kind(), update.command(), update.environment(),
                update.resources(), update.instances(), update.constraints(), update.restartPolicy(),
                update.killGracePeriodMillis(), JobGoal.RUNNING, job.version() + 1, job.createdAtMillis(),
                System.currentTimeMillis());
        ctx.writer.submit(b -> b.putJob(next), completing(result, next, () -> {
            ctx.book.putJob(next);
            LOG.info("Term {}: job {} updated to version {}", ctx.number, job.id(), next.version());
            killer.kill(liveTasksOf(job.id()), "job " + job.id() + " updated");
            offerFlow.want(true);
        }));
    }

    /** Kills every live task of the job; each is replaced under a new task id (no backoff: this is not a failure). */
    void restart(String jobId, CompletableFuture<Void> result) {
        runningJob(jobId);
        killer.kill(liveTasksOf(jobId), "job " + jobId + " restarted").whenComplete((ok, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
            } else {
                offerFlow.want(true);
                result.complete(null);
            }
        });
    }

    void delete(String jobId, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId);
        JobRecord deleted = job.withGoal(JobGoal.DELETED, System.currentTimeMillis());
        ctx.writer.submit(b -> b.putJob(deleted), completing(result, deleted, () -> {
            ctx.book.putJob(deleted);
            List<TaskRecord> live = ctx.book.tasksOf(jobId).stream().filter(t -> !TaskStates.isGone(t.state()))
                    .toList();
            killer.kill(live, "job " + jobId + " deleted");
            remover.removeIfDone(deleted);
        }));
    }

    void killTask(String taskId, CompletableFuture<Void> result) {
        TaskRecord t = ctx.book.task(taskId);
        if (t == null) {
            throw new CommandRejectedException("no task " + taskId);
        }
        if (TaskStates.isGone(t.state())) {
            throw new CommandRejectedException("task " + taskId + " is already " + t.state());
        }
        killer.kill(List.of(t), "operator kill").whenComplete((ok, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
            } else {
                result.complete(null);
            }
        });
    }

    void blacklist(String agentId, String reason, CompletableFuture<BlacklistEntry> result) {
        BlacklistEntry entry = new BlacklistEntry(agentId, reason, System.currentTimeMillis());
        ctx.writer.submit(b -> b.putBlacklist(entry), completing(result, entry, () -> {
            ctx.book.blacklist(entry);
            LOG.info("Term {}: agent {} blacklisted ({})", ctx.number, agentId, reason);
        }));
    }

    void unblacklist(String agentId, CompletableFuture<Void> result) {
        ctx.writer.submit(b -> b.removeBlacklist(agentId), completing(result, null, () -> {
            ctx.book.unblacklist(agentId);
            offerFlow.want(true);
        }));
    }

    private List<TaskRecord> liveTasksOf(String jobId) {
        return ctx.book.tasksOf(jobId).stream()
                .filter(t -> !TaskStates.isGone(t.state()) && t.desiredState() == DesiredState.RUNNING).toList();
    }

    private JobRecord runningJob(String jobId) {
        JobRecord job = ctx.book.job(jobId);
        if (job == null) {
            throw new CommandRejectedException("no job " + jobId);
        }
        if (job.goal() == JobGoal.DELETED) {
            throw new CommandRejectedException("job " + jobId + " is being deleted");
        }
        return job;
    }

    private static <T> GroupCommitWriter.Outcome completing(CompletableFuture<T> result, T value, Runnable thenOnLoop) {
        return new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                thenOnLoop.run();
                result.complete(value);
            }

            @Override
            public void failed(Throwable error) {
                result.completeExceptionally(error);
            }
        };
    }
}
