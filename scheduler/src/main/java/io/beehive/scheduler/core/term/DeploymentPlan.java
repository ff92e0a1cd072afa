package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.deploy.DeploymentProgress;
import io.beehive.scheduler.core.deploy.Readiness;
import io.beehive.state.record.Deployment;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One look at a deployment: is it done, has it failed, and which old-version instances may be killed now without
 * going below the capacity floor. New instances are not decided here: the demand planner launches them up to the
 * ceiling. Pure: the same records give the same decision, on any leader.
 */
final class DeploymentPlan {
    enum Outcome { IN_PROGRESS, SUCCEEDED, FAILED }

    record Decision(DeploymentProgress progress, Outcome outcome, String detail, List<TaskRecord> kill) {
    }

    private DeploymentPlan() {
    }

    static Decision decide(JobRecord job, Collection<TaskRecord> tasks, long now, Predicate<TaskRecord> holdsPlace) {
        Deployment d = job.deployment();
        UpgradeStrategy strategy = job.upgradeStrategy();
        DeploymentProgress p = DeploymentProgress.of(job, tasks, now, holdsPlace);
        if (p.complete()) {
            return new Decision(p, Outcome.SUCCEEDED, p.newReady() + " of " + p.instances()
                    + " instances ready on version " + d.toVersion(), List.of());
        }
        if (p.failedTaskIds().size() >= strategy.maxFailures()) {
            return new Decision(p, Outcome.FAILED, p.failedTaskIds().size() + " new instances failed or were "
                    + "unhealthy (maxFailures " + strategy.maxFailures() + "): " + String.join(", ",
                    p.failedTaskIds()), List.of());
        }
        long tookMillis = now - d.startedAtMillis();
        if (tookMillis > strategy.progressDeadlineSeconds() * 1000L) {
            return new Decision(p, Outcome.FAILED, "not finished after progressDeadlineSeconds "
                    + strategy.progressDeadlineSeconds() + " (" + p.newReady() + " of " + p.instances()
                    + " new instances ready, " + p.oldLive() + " old ones left)", List.of());
        }
        return new Decision(p, Outcome.IN_PROGRESS, null, oldToKill(job, tasks, now, holdsPlace, p));
    }

    /**
     * Old instances reported unhealthy go at once: they serve nothing and their executor is about to kill them. The
     * others are capacity, even those not ready yet (starting, or younger than minReadySeconds): killing one that is
     * about to be ready would cost the service an instance although the ready count does not move. So an old
     * instance goes only while the capacity (ready instances plus old ones that may still become ready) stays at or
     * above the floor, and a ready one only while the ready count does too; not-ready ones first, then those whose
     * slot already has a ready new instance, then from the highest slot down.
     */
    private static List<TaskRecord> oldToKill(JobRecord job, Collection<TaskRecord> tasks, long now,
                                              Predicate<TaskRecord> holdsPlace, DeploymentProgress p) {
        UpgradeStrategy strategy = job.upgradeStrategy();
        List<TaskRecord> kill = new ArrayList<>();
        List<TaskRecord> notReadyOld = new ArrayList<>();
        List<TaskRecord> readyOld = new ArrayList<>();
        Set<Integer> slotsWithReadyNew = new HashSet<>();
        for (TaskRecord t : tasks) {
            if (!holdsPlace.test(t) || t.desiredState() != DesiredState.RUNNING) {
                continue;
            }
            boolean ready = Readiness.ready(t, strategy, now);
            if (t.runVersion() == job.runVersion()) {
                if (ready) {
                    slotsWithReadyNew.add(t.instance());
                }
            } else if (Boolean.FALSE.equals(t.healthy())) {
                kill.add(t);
            } else if (ready) {
                readyOld.add(t);
            } else {
                notReadyOld.add(t);
            }
        }
        Comparator<TaskRecord> order = Comparator.comparing((TaskRecord t) -> !slotsWithReadyNew.contains(t.instance()))
                .thenComparing(Comparator.comparingInt(TaskRecord::instance).reversed())
                .thenComparing(TaskRecord::taskId);
        // Of the not-ready ones, those furthest from serving go first: not running yet, then the youngest (an
        // instance of a version a forced deployment superseded is younger than the original ones).
        notReadyOld.sort(Comparator.comparing((TaskRecord t) -> t.state() == TaskState.TASK_RUNNING)
                .thenComparing(Comparator.comparingLong(TaskRecord::launchedAtMillis).reversed()).thenComparing(order));
        readyOld.sort(order);
        int ready = p.ready();
        int capacity = ready + notReadyOld.size();
        for (TaskRecord t : notReadyOld) {
            if (capacity - 1 < p.floor()) {
                return kill;
            }
            kill.add(t);
            capacity--;
        }
        for (TaskRecord t : readyOld) {
            if (ready - 1 < p.floor() || capacity - 1 < p.floor()) {
                break;
            }
            kill.add(t);
            ready--;
            capacity--;
        }
        return kill;
    }
}
