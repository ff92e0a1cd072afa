package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.deploy.DeploymentProgress;
import io.beehive.scheduler.core.deploy.Readiness;
import io.beehive.state.NotLeaderException;
import io.beehive.state.record.Deployment;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DeploymentResult;
import io.beehive.state.record.DeploymentSummary;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.RunSpec;
import io.beehive.state.record.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves SERVICE jobs through their deployments: after every change of a job's tasks and on every housekeeping tick
 * it asks {@link DeploymentPlan} what to do, kills the old instances the floor allows (the kill intent written
 * first, as every kill), and writes the deployment's end: success, or failure followed by a rollback deployment to
 * the previous version. It only acts while the term may launch (reconciled, not suspended), and everything it decides
 * is derived from durable records, so a new leader that resumes a deployment decides exactly what this one would.
 */
final class DeploymentDriver {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentDriver.class);

    private final TermContext ctx;
    private final TaskKiller killer;
    private final DemandPlanner planner;
    private final OfferFlow offerFlow;
    /** Jobs whose deployment's end is being written: not decided on again until that write is answered. */
    private final Set<String> ending = new HashSet<>();

    DeploymentDriver(TermContext ctx, TaskKiller killer, DemandPlanner planner, OfferFlow offerFlow) {
        this.ctx = ctx;
        this.killer = killer;
        this.planner = planner;
        this.offerFlow = offerFlow;
    }

    void evaluateAll() {
        for (JobRecord job : ctx.book.jobs()) {
            if (job.deployment() != null) {
                evaluate(job.id());
            }
        }
    }

    void evaluate(String jobId) {
        if (!ctx.gate.mayLaunch() || ending.contains(jobId)) {
            return;
        }
        JobRecord job = ctx.jobs.latest(jobId);
        if (job == null || job.goal() != JobGoal.RUNNING || job.deployment() == null) {
            return;
        }
        long now = System.currentTimeMillis();
        DeploymentPlan.Decision d = DeploymentPlan.decide(job, ctx.book.tasksOf(jobId), now,
                t -> planner.holdsSlot(job, t, now));
        switch (d.outcome()) {
            case SUCCEEDED -> succeed(job, d.detail(), now);
            case FAILED -> fail(job, d.detail(), now);
            case IN_PROGRESS -> {
                if (!d.kill().isEmpty()) {
                    step(job, d.kill(), d.progress(), now);
                }
                offerFlow.want(false);
                scheduleReadinessCheck(job, now);
            }
        }
    }

    /** Without a health check, time alone makes an instance ready: look again then, not only at the next tick. */
    private void scheduleReadinessCheck(JobRecord job, long now) {
        long next = Long.MAX_VALUE;
        for (TaskRecord t : ctx.book.tasksOf(job.id())) {
            long at = Readiness.readyAtMillis(t, job.upgradeStrategy());
            if (at > now && at < next) {
                next = at;
            }
        }
        if (next != Long.MAX_VALUE && next - now < ctx.config.housekeepingInterval().toMillis()) {
            ctx.loop.schedule("deployment readiness", () -> evaluate(job.id()), Duration.ofMillis(next - now + 1));
        }
    }

    private void step(JobRecord job, List<TaskRecord> old, DeploymentProgress p, long now) {
        Deployment d = job.deployment();
        String message = "killing " + old.size() + " old instance(s): ready " + p.ready() + " (floor " + p.floor()
                + "), live " + p.live() + " (ceiling " + p.ceiling() + "), new ready " + p.newReady() + " of "
                + p.instances();
        LOG.info("Term {}: deployment {} of job {} to version {}: {}", ctx.number, d.id(), job.id(), d.toVersion(),
                message);
        killer.kill(old, "deployment " + d.id() + " replaces the old version");
        JobRecord stepped = job.withDeployment(d.withStep(now), null, now);
        ctx.jobs.write(stepped, new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                ctx.events.deploymentChanged(job.id(), d.id(), "step", message);
            }

            @Override
            public void failed(Throwable error) {
                if (!(error instanceof NotLeaderException)) {
                    LOG.warn("Term {}: writing a step of deployment {} failed ({})", ctx.number, d.id(),
                            error.toString());
                }
            }
        });
    }

    private void succeed(JobRecord job, String detail, long now) {
        Deployment d = job.deployment();
        JobRecord done = job.withDeployment(null, d.ended(DeploymentResult.SUCCEEDED, detail, now), now);
        String change = d.kind() == DeploymentKind.ROLLBACK ? "rolled-back" : "succeeded";
        end(done, d, () -> {
            ctx.metrics.deploymentsSucceeded.inc();
            LOG.info("Term {}: deployment {} of job {} {} after {} ms: {}", ctx.number, d.id(), job.id(), change,
                    now - d.startedAtMillis(), detail);
            ctx.events.deploymentChanged(job.id(), d.id(), change, detail);
        });
    }

    /** A failed update rolls back by itself; a failed rollback or restart stops where it is (both versions run). */
    private void fail(JobRecord job, String detail, long now) {
        Deployment d = job.deployment();
        DeploymentSummary failed = d.ended(DeploymentResult.FAILED, detail, now);
        RunSpec previous = job.previousRun();
        if (d.kind() != DeploymentKind.UPDATE || previous == null) {
            end(job.withDeployment(null, failed, now), d, () -> {
                ctx.metrics.deploymentsFailed.inc();
                LOG.warn("Term {}: deployment {} of job {} failed, not rolled back ({} deployment): {}", ctx.number,
                        d.id(), job.id(), d.kind(), detail);
                ctx.events.deploymentChanged(job.id(), d.id(), "failed", detail);
            });
            return;
        }
        JobRecord back = rollbackOf(job.withDeployment(job.deployment(), failed, now), "automatic rollback: "
                + "deployment " + d.id() + " failed: " + detail, now);
        end(back, d, () -> {
            ctx.metrics.deploymentsFailed.inc();
            ctx.metrics.deploymentsStarted.inc();
            LOG.warn("Term {}: deployment {} of job {} failed ({}); rolling back to version {} ({})", ctx.number,
                    d.id(), job.id(), detail, previous.version(), back.deployment().id());
            ctx.events.deploymentChanged(job.id(), d.id(), "failed", detail);
            ctx.events.deploymentChanged(job.id(), back.deployment().id(), "started", back.deployment().cause());
            offerFlow.want(true);
        });
    }

    /**
     * The job going back to its previous run spec under that spec's own version, so the instances that still run it
     * are already on the target and stay; its current spec becomes the previous one (a rollback can be rolled back).
     */
    static JobRecord rollbackOf(JobRecord job, String cause, long now) {
        RunSpec previous = job.previousRun();
        Deployment d = Deployment.start(job.id(), DeploymentKind.ROLLBACK, job.runVersion(), previous.version(), now,
                job.version() + 1, cause);
        return job.withRun(previous, previous.version(), job.runSpec(), d, now);
    }

    private void end(JobRecord next, Deployment d, Runnable onDurable) {
        String jobId = next.id();
        ending.add(jobId);
        ctx.jobs.write(next, new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                ending.remove(jobId);
                onDurable.run();
                evaluate(jobId);
            }

            @Override
            public void failed(Throwable error) {
                ending.remove(jobId);
                if (!(error instanceof NotLeaderException)) {
                    LOG.warn("Term {}: writing the end of deployment {} failed ({}); deciding again", ctx.number,
                            d.id(), error.toString());
                }
            }
        });
    }
}
