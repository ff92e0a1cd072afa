package io.beehive.scheduler.core.deploy;

import io.beehive.state.record.Deployment;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where a SERVICE job stands against its deployment, derived from its task records alone (nothing of it is stored,
 * so every replica and every new leader computes the same from the same records).
 *
 * @param floor         ready instances the deployment must keep ({@link UpgradeStrategy#floor})
 * @param ceiling       live instances it may have ({@link UpgradeStrategy#ceiling})
 * @param live          tasks holding a place, of any version, including those being killed
 * @param ready         ready tasks of any version
 * @param newLive       live tasks of the target version that are wanted
 * @param newReady      ready tasks of the target version
 * @param oldLive       live tasks of other versions (those being killed included)
 * @param failedTaskIds target-version tasks launched during the deployment that failed or were reported unhealthy
 */
public record DeploymentProgress(
        int instances,
        int floor,
        int ceiling,
        int live,
        int ready,
        int newLive,
        int newReady,
        int oldLive,
        List<String> failedTaskIds) {

    /**
     * @param holdsPlace whether a task still holds a place on an agent (the term's slot rule; a read-only view may
     *                   use "not terminal")
     */
    public static DeploymentProgress of(JobRecord job, Collection<TaskRecord> tasks, long nowMillis,
                                        Predicate<TaskRecord> holdsPlace) {
        UpgradeStrategy strategy = job.upgradeStrategy();
        Deployment deployment = job.deployment();
        long target = job.runVersion();
        int live = 0;
        int ready = 0;
        int newLive = 0;
        int newReady = 0;
        int oldLive = 0;
        List<String> failed = new ArrayList<>();
        for (TaskRecord t : tasks) {
            boolean isNew = t.runVersion() == target;
            if (deployment != null && isNew && t.launchedAtMillis() >= deployment.startedAtMillis() && failed(t)) {
                failed.add(t.taskId());
            }
            if (!holdsPlace.test(t)) {
                continue;
            }
            live++;
            boolean isReady = Readiness.ready(t, strategy, nowMillis);
            if (isReady) {
                ready++;
            }
            if (!isNew) {
                oldLive++;
            } else if (t.desiredState() == DesiredState.RUNNING) {
                newLive++;
                if (isReady) {
                    newReady++;
                }
            }
        }
        return new DeploymentProgress(job.instances(), strategy.floor(job.instances()),
                strategy.ceiling(job.instances()), live, ready, newLive, newReady, oldLive, List.copyOf(failed));
    }

    /** Whether a new instance counts against the deployment: it ended by itself or its executor said unhealthy. */
    static boolean failed(TaskRecord t) {
        if (Boolean.FALSE.equals(t.healthy())) {
            return true;
        }
        if (t.desiredState() != DesiredState.RUNNING) {
            return false; // Beehive killed it: not the version's fault
        }
        return t.state() == TaskState.TASK_FAILED || t.state() == TaskState.TASK_ERROR
                || t.state() == TaskState.TASK_KILLED || t.state() == TaskState.TASK_FINISHED;
    }

    /** Done: nothing of another version holds a place, and every instance runs the target version, ready. */
    public boolean complete() {
        return oldLive == 0 && newReady >= instances;
    }
}
