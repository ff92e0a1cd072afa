package io.beehive.scheduler.core.term;

import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The term's periodic sweep over live tasks, for what no event announces: KILLs re-sent until the task is terminal,
 * tasks stuck launching probed, tasks that should not run (scaled down, deleted job, unreachable too long) killed,
 * deleted jobs finished, history pruned, and offers revived if work waits. Runs only while the term may launch.
 */
final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final TermContext ctx;
    private final KillSender kills;
    private final TaskKiller killer;
    private final DeletedJobRemover remover;
    private final TaskHistory history;
    private final StuckLaunchProbe probe;
    private final OfferFlow offerFlow;
    private final DeploymentDriver deployments;

    Housekeeping(TermContext ctx, KillSender kills, TaskKiller killer, DeletedJobRemover remover, TaskHistory history,
                 StuckLaunchProbe probe, OfferFlow offerFlow, DeploymentDriver deployments) {
        this.ctx = ctx;
        this.kills = kills;
        this.killer = killer;
        this.remover = remover;
        this.history = history;
        this.probe = probe;
        this.offerFlow = offerFlow;
        this.deployments = deployments;
    }

    void tick() {
        if (!ctx.gate.mayLaunch()) {
            return;
        }
        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        List<Call.Reconcile.Task> probes = new ArrayList<>();
        List<TaskRecord> toKill = new ArrayList<>();
        for (TaskRecord t : ctx.book.liveTasks()) {
            if (t.desiredState() == DesiredState.KILLED) {
                kills.resendIfDue(t.taskId(), t.agentId(), nowNanos); // until the task is terminal
                continue;
            }
            probe.check(t, nowMillis, nowNanos, probes);
            if (shouldNotRun(t, ctx.book.job(t.jobId()), nowMillis)) {
                toKill.add(t);
            }
        }
        if (!probes.isEmpty()) {
            LOG.info("Term {}: {} tasks stuck launching; asking Mesos about them", ctx.number, probes.size());
            ctx.driver().reconcileTasks(probes);
        }
        if (!toKill.isEmpty()) {
            killer.kill(toKill, "scale down, deleted job or unreachable too long");
        }
        for (JobRecord job : ctx.book.jobs()) {
            if (job.goal() == JobGoal.DELETED) {
                remover.removeIfDone(job);
            }
        }
        deployments.evaluateAll(); // deadlines and readiness by time
        history.prune(nowMillis);
        offerFlow.want(false);
    }

    private boolean shouldNotRun(TaskRecord t, JobRecord job, long nowMillis) {
        if (t.state() == TaskState.TASK_UNREACHABLE
                && nowMillis - t.updatedAtMillis() >= ctx.config.unreachableReplaceAfter().toMillis()) {
            return true; // its replacement may start; if it comes back it must not run twice
        }
        if (job == null || job.goal() == JobGoal.DELETED) {
            return true;
        }
        return job.kind() == JobKind.SERVICE && t.instance() >= job.instances(); // scaled down
    }
}
