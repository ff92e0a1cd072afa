package io.beehive.scheduler.core.term;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.Deployment;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DeploymentResult;
import io.beehive.state.record.DeploymentSummary;
import io.beehive.state.record.RunSpec;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.OptionalLong;
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
    private final DeploymentDriver deployments;

    JobCommands(TermContext ctx, TaskKiller killer, DeletedJobRemover remover, OfferFlow offerFlow,
                DeploymentDriver deployments) {
        this.ctx = ctx;
        this.killer = killer;
        this.remover = remover;
        this.offerFlow = offerFlow;
        this.deployments = deployments;
    }

    /**
     * Creates the job. An existing job of the same definition ({@link JobDefinitions#same}) is the answer to a
     * retried create whose first attempt landed (its answer lost): it is returned as found, not refused. Any
     * other job of that id is a conflict.
     */
    void create(JobRecord job, CompletableFuture<JobCreation> result) {
        JobRecord existing = ctx.jobs.latest(job.id());
        if (existing != null) {
            if (existing.goal() == JobGoal.RUNNING && JobDefinitions.same(existing, job)) {
                result.complete(new JobCreation(existing, false));
                return;
            }
            throw new CommandRejectedException("job " + job.id() + " already exists"
                    + (existing.goal() == JobGoal.DELETED ? " (it is being deleted)" : " with another definition"));
        }
        if (job.goal() != JobGoal.RUNNING) {
            throw new CommandRejectedException("a new job must have goal RUNNING");
        }
        ctx.jobs.write(job, completing(result, new JobCreation(job, true), () -> {
            LOG.info("Term {}: job {} created ({} x {})", ctx.number, job.id(), job.kind(), job.instances());
            offerFlow.want(true);
        }));
    }

    void scale(String jobId, int instances, OptionalLong ifVersion, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId, ifVersion);
        if (job.kind() == JobKind.DAEMON) {
            throw new CommandRejectedException("job " + jobId + " is a daemon: it runs one task per agent");
        }
        if (instances < 0) {
            throw new CommandRejectedException("instances must not be negative, got " + instances);
        }
        if (instances == job.instances()) {
            result.complete(job); // nothing changes: a retried request is answered as the first was
            return;
        }
        JobRecord scaled = job.withInstances(instances, System.currentTimeMillis());
        ctx.jobs.write(scaled, completing(result, scaled, () -> {
            LOG.info("Term {}: job {} scaled {} -> {}", ctx.number, jobId, job.instances(), instances);
            killExcess(scaled);
            offerFlow.want(true);
            deployments.evaluate(jobId);
        }));
    }

    /**
     * Applies a new definition. For a SERVICE whose run spec changes, a deployment replaces its tasks step by step
     * ({@link DeploymentDriver}); a second one while one runs is refused unless {@code force}, which replaces it from
     * where it stands. Instances and upgrade strategy apply at once. A BATCH or DAEMON job's live tasks are replaced at
     * once. The new record's id and kind must match.
     */
    void update(JobRecord update, boolean force, OptionalLong ifVersion, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(update.id(), ifVersion);
        if (update.kind() != job.kind()) {
            throw new CommandRejectedException("job " + job.id() + " is a " + job.kind() + "; its kind cannot change");
        }
        long now = System.currentTimeMillis();
        JobRecord base = new JobRecord(job.id(), job.kind(), job.command(), job.environment(), job.resources(),
                update.instances(), job.constraints(), job.restartPolicy(), job.killGracePeriodMillis(), job.goal(),
                job.version(), job.createdAtMillis(), now, job.healthCheck(), update.upgradeStrategy(),
                job.runVersion(), job.previousRun(), job.deployment(), job.deploymentHistory());
        RunSpec run = update.runSpec();
        if (run.sameRunAs(job.runSpec())) {
            if (base.instances() == job.instances() && base.upgradeStrategy().equals(job.upgradeStrategy())) {
                result.complete(job); // nothing changes: a retried request is answered as the first was
                return;
            }
            JobRecord changed = base.withDeployment(job.deployment(), null, now);
            ctx.jobs.write(changed, completing(result, changed, () -> {
                killExcess(changed);
                offerFlow.want(true);
                deployments.evaluate(job.id());
            }));
            return;
        }
        if (job.kind() != JobKind.SERVICE) {
            JobRecord next = base.withRun(run, job.version() + 1, job.runSpec(), null, now);
            ctx.jobs.write(next, completing(result, next, () -> {
                LOG.info("Term {}: job {} updated to version {}", ctx.number, job.id(), next.runVersion());
                killer.kill(liveTasksOf(job.id()), "job " + job.id() + " updated");
                offerFlow.want(true);
            }));
            return;
        }
        DeploymentSummary replaced = replacing(job, force, "replaced by a new definition", now);
        Deployment d = Deployment.start(job.id(), DeploymentKind.UPDATE, job.runVersion(), job.version() + 1, now,
                job.version() + 1, "definition changed to version " + (job.version() + 1));
        JobRecord next = base.withDeployment(job.deployment(), replaced, now)
                .withRun(run, job.version() + 1, job.runSpec(), d, now);
        startDeployment(job, next, replaced, result);
    }

    /** A rolling restart: every instance replaced by a new one of the same definition, under the deployment rules. */
    void restart(String jobId, boolean force, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId);
        long now = System.currentTimeMillis();
        if (job.kind() != JobKind.SERVICE) {
            killer.kill(liveTasksOf(jobId), "job " + jobId + " restarted").whenComplete((ok, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    offerFlow.want(true);
                    result.complete(job);
                }
            });
            return;
        }
        DeploymentSummary replaced = replacing(job, force, "replaced by a restart", now);
        JobRecord base = job.withDeployment(job.deployment(), replaced, now);
        Deployment d = Deployment.start(jobId, DeploymentKind.RESTART, job.runVersion(), base.version() + 1, now,
                base.version() + 1, "rolling restart");
        startDeployment(job, base.withRun(job.runSpec(), base.version() + 1, job.previousRun(), d, now), replaced,
                result);
    }

    /** Back to the previous definition, as a deployment; one in progress ends as CANCELLED. */
    void rollback(String jobId, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId);
        if (job.kind() != JobKind.SERVICE) {
            throw new CommandRejectedException("job " + jobId + " is a " + job.kind() + ": only SERVICE jobs roll back");
        }
        if (job.previousRun() == null) {
            throw new CommandRejectedException("job " + jobId + " has no previous version to roll back to");
        }
        long now = System.currentTimeMillis();
        DeploymentSummary cancelled = job.deployment() == null ? null
                : job.deployment().ended(DeploymentResult.CANCELLED, "rolled back by an operator", now);
        JobRecord next = DeploymentDriver.rollbackOf(job.withDeployment(job.deployment(), cancelled, now),
                "rollback asked by an operator", now);
        startDeployment(job, next, cancelled, result);
    }

    /** Stops the deployment where it stands: both versions keep running, nothing more is replaced. */
    void cancelDeployment(String jobId, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId);
        Deployment d = job.deployment();
        if (d == null) {
            throw new CommandRejectedException("job " + jobId + " has no deployment in progress");
        }
        long now = System.currentTimeMillis();
        JobRecord next = job.withDeployment(null, d.ended(DeploymentResult.CANCELLED, "cancelled by an operator",
                now), now);
        ctx.jobs.write(next, completing(result, next, () -> {
            LOG.info("Term {}: deployment {} of job {} cancelled", ctx.number, d.id(), jobId);
            ctx.events.deploymentChanged(jobId, d.id(), "cancelled", "cancelled by an operator");
        }));
    }

    /** The end of the job's deployment in progress, if any, when a new one takes its place; refused unless forced. */
    private static DeploymentSummary replacing(JobRecord job, boolean force, String why, long now) {
        Deployment current = job.deployment();
        if (current == null) {
            return null;
        }
        if (!force) {
            throw new CommandRejectedException("job " + job.id() + " has deployment " + current.id() + " in progress "
                    + "(to version " + current.toVersion() + "); wait for it, cancel it (DELETE /v1/jobs/" + job.id()
                    + "/deployment), or replace it with ?force=true");
        }
        return current.ended(DeploymentResult.REPLACED, why, now);
    }

    private void startDeployment(JobRecord job, JobRecord next, DeploymentSummary ended,
                                 CompletableFuture<JobRecord> result) {
        Deployment d = next.deployment();
        ctx.jobs.write(next, completing(result, next, () -> {
            if (ended != null) {
                ctx.events.deploymentChanged(job.id(), ended.id(), ended.result() == DeploymentResult.CANCELLED
                        ? "cancelled" : "replaced", ended.detail());
            }
            LOG.info("Term {}: job {} deployment {} started ({}, version {} -> {}, {} instances, floor {}, "
                            + "ceiling {})", ctx.number, job.id(), d.id(), d.kind(), d.fromVersion(), d.toVersion(),
                    next.instances(), next.upgradeStrategy().floor(next.instances()),
                    next.upgradeStrategy().ceiling(next.instances()));
            ctx.metrics.deploymentsStarted.inc();
            ctx.events.deploymentChanged(job.id(), d.id(), "started", d.cause());
            killExcess(next);
            offerFlow.want(true);
            deployments.evaluate(job.id());
        }));
    }

    /** A SERVICE's tasks above its instance count go (scaled down). */
    private void killExcess(JobRecord job) {
        if (job.kind() != JobKind.SERVICE) {
            return;
        }
        List<TaskRecord> excess = ctx.book.tasksOf(job.id()).stream()
                .filter(t -> !TaskStates.isGone(t.state()) && t.desiredState() == DesiredState.RUNNING
                        && t.instance() >= job.instances())
                .toList();
        killer.kill(excess, "job " + job.id() + " scaled down");
    }

    void delete(String jobId, OptionalLong ifVersion, CompletableFuture<JobRecord> result) {
        JobRecord job = runningJob(jobId, ifVersion);
        JobRecord deleted = job.withGoal(JobGoal.DELETED, System.currentTimeMillis());
        ctx.jobs.write(deleted, completing(result, deleted, () -> {
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
        return runningJob(jobId, OptionalLong.empty());
    }

    /**
     * The job as it will be once the writes in flight land, checked against the caller's condition here on the
     * loop, so that no other command can change it between the check and this command's write.
     */
    private JobRecord runningJob(String jobId, OptionalLong ifVersion) {
        JobRecord job = ctx.jobs.latest(jobId);
        if (job == null) {
            throw new CommandRejectedException("no job " + jobId);
        }
        if (job.goal() == JobGoal.DELETED) {
            throw new CommandRejectedException("job " + jobId + " is being deleted");
        }
        if (ifVersion.isPresent() && ifVersion.getAsLong() != job.version()) {
            throw new JobVersionMismatchException(jobId, ifVersion.getAsLong(), job.version());
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
