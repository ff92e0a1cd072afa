package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.deploy.DeploymentProgress;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a job's finished tasks to a bounded history, so a crash-looping task cannot fill ZooKeeper: of the gone
 * records, the newest {@code maxPerJob} younger than {@code maxAgeMillis} stay. The newest gone record of each
 * slot (instance; for a daemon, agent) always stays, because it carries the attempt count, the slot's restart
 * backoff ({@link io.beehive.state.record.SlotBackoff}) and, for batch jobs, whether the instance finished.
 */
final class HistoryPruner {
    private HistoryPruner() {
    }

    static List<String> prunable(Collection<TaskRecord> jobTasks, int maxPerJob, long maxAgeMillis, long nowMillis) {
        return prunable(JobKind.SERVICE, jobTasks, maxPerJob, maxAgeMillis, nowMillis);
    }

    /**
     * As {@link #prunable(JobKind, Collection, int, long, long)}, sparing the failed new-version tasks that the job's
     * deployment in progress counts against its maxFailures: they are read from these records, and the old instances
     * the deployment kills would otherwise push them out of the history and the deployment would forget them. At
     * most maxFailures - 1 of them stay (one more fails the deployment).
     */
    static List<String> prunable(JobRecord job, Collection<TaskRecord> jobTasks, int maxPerJob, long maxAgeMillis,
                                 long nowMillis) {
        List<String> out = prunable(job.kind(), jobTasks, maxPerJob, maxAgeMillis, nowMillis);
        if (job.deployment() != null) {
            Set<String> counted = new HashSet<>(DeploymentProgress.of(job, jobTasks, nowMillis, t -> false)
                    .failedTaskIds());
            out.removeIf(counted::contains);
        }
        return out;
    }

    static List<String> prunable(JobKind kind, Collection<TaskRecord> jobTasks, int maxPerJob, long maxAgeMillis,
                                 long nowMillis) {
        List<TaskRecord> gone = new ArrayList<>();
        for (TaskRecord t : jobTasks) {
            if (TaskStates.isGone(t.state())) {
                gone.add(t);
            }
        }
        gone.sort(Comparator.comparingLong(TaskRecord::updatedAtMillis).reversed());
        Set<String> newestPerSlot = new HashSet<>();
        Set<String> seenSlots = new HashSet<>();
        for (TaskRecord t : gone) {
            if (seenSlots.add(kind == JobKind.DAEMON ? "@" + t.agentId() : Integer.toString(t.instance()))) {
                newestPerSlot.add(t.taskId());
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < gone.size(); i++) {
            TaskRecord t = gone.get(i);
            boolean tooMany = i >= maxPerJob;
            boolean tooOld = nowMillis - t.updatedAtMillis() > maxAgeMillis;
            if ((tooMany || tooOld) && !newestPerSlot.contains(t.taskId())) {
                out.add(t.taskId());
            }
        }
        return out;
    }
}
