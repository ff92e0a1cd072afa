package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.offer.Demand;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * What each job still needs: the gap between its goal and the tasks that hold a place. Service: one task per
 * instance 0..N-1. Batch: each instance until one attempt FINISHED or the retries are used up. Daemon: one task
 * per known, non-blacklisted agent. Slots in backoff wait.
 */
final class DemandPlanner {
    private final RestartTracker restarts;
    private final long unreachableReplaceAfterMillis;
    private final long killReplaceAfterMillis;

    /**
     * @param killReplaceAfterMillis how long past the job's kill grace period a task being killed still holds its
     *                               slot when its terminal update does not come
     */
    DemandPlanner(RestartTracker restarts, long unreachableReplaceAfterMillis, long killReplaceAfterMillis) {
        this.restarts = restarts;
        this.unreachableReplaceAfterMillis = unreachableReplaceAfterMillis;
        this.killReplaceAfterMillis = killReplaceAfterMillis;
    }

    static String slot(String jobId, int instance) {
        return jobId + "#" + instance;
    }

    static String agentSlot(String jobId, String agentId) {
        return jobId + "@" + agentId;
    }

    /** The restart slot a task fills: its instance, or for a daemon its agent. */
    static String slotOf(JobRecord job, TaskRecord t) {
        return job.kind() == JobKind.DAEMON ? agentSlot(job.id(), t.agentId()) : slot(job.id(), t.instance());
    }

    /**
     * Whether a task keeps its slot, so no other task is placed in it. A task being killed keeps it until it is
     * terminal: its replacement must not run next to it (a 1-instance service would briefly have two copies), unless
     * the kill has gone unanswered for the grace period plus {@code killReplaceAfter}. An unreachable task keeps it
     * only for {@code unreachableReplaceAfter} (the unreachable policy).
     */
    boolean holdsSlot(JobRecord job, TaskRecord t, long nowMillis) {
        if (TaskStates.isGone(t.state())) {
            return false;
        }
        if (t.state() == TaskState.TASK_UNREACHABLE && nowMillis - t.updatedAtMillis() >= unreachableReplaceAfterMillis) {
            return false;
        }
        if (t.desiredState() == DesiredState.RUNNING) {
            return true;
        }
        return nowMillis - t.killRequestedAtOrUpdated() < job.killGracePeriodMillis() + killReplaceAfterMillis;
    }

    List<Demand> demands(TaskBook book, Collection<String> knownAgents, long nowMillis) {
        List<Demand> out = new ArrayList<>();
        for (JobRecord job : book.jobs()) {
            if (job.goal() != JobGoal.RUNNING) {
                continue;
            }
            switch (job.kind()) {
                case SERVICE -> service(job, book.tasksOf(job.id()), nowMillis, out);
                case BATCH -> batch(job, book.tasksOf(job.id()), nowMillis, out);
                case DAEMON -> daemon(job, book, knownAgents, nowMillis, out);
            }
        }
        return out;
    }

    /**
     * Without a deployment any task holding a slot fills it. During one only a task of the target version does, and
     * new tasks are started only while every task holding a place, of any version, stays within the deployment's
     * ceiling; the old ones make way as the deployment driver kills them.
     */
    private void service(JobRecord job, Collection<TaskRecord> tasks, long now, List<Demand> out) {
        Set<Integer> held = new HashSet<>();
        int live = 0;
        boolean deploying = job.deployment() != null;
        for (TaskRecord t : tasks) {
            if (holdsSlot(job, t, now)) {
                live++;
                if (!deploying || t.runVersion() == job.runVersion()) {
                    held.add(t.instance());
                }
            }
        }
        int budget = deploying ? job.upgradeStrategy().ceiling(job.instances()) - live : Integer.MAX_VALUE;
        for (int i = 0; i < job.instances() && budget > 0; i++) {
            if (!held.contains(i) && restarts.ready(slot(job.id(), i), now)) {
                out.add(new Demand(job.id(), i, job.resources(), job.constraints(), null));
                budget--;
            }
        }
    }

    private void batch(JobRecord job, Collection<TaskRecord> tasks, long now, List<Demand> out) {
        int instances = Math.max(1, job.instances());
        for (int i = 0; i < instances; i++) {
            if (batchInstanceNeedsTask(job, tasks, i, now) && restarts.ready(slot(job.id(), i), now)) {
                out.add(new Demand(job.id(), i, job.resources(), job.constraints(), null));
            }
        }
    }

    boolean batchInstanceNeedsTask(JobRecord job, Collection<TaskRecord> tasks, int instance, long now) {
        int failedAttempts = 0;
        for (TaskRecord t : tasks) {
            if (t.instance() != instance) {
                continue;
            }
            if (t.state() == TaskState.TASK_FINISHED || holdsSlot(job, t, now)) {
                return false;
            }
            if (t.desiredState() == DesiredState.RUNNING) {
                failedAttempts = Math.max(failedAttempts, t.attempt() + 1);
            }
        }
        // attempt 0 is the first run; maxRetries more are allowed after it.
        return failedAttempts <= job.restartPolicy().maxRetries();
    }

    private void daemon(JobRecord job, TaskBook book, Collection<String> knownAgents, long now, List<Demand> out) {
        Set<String> covered = new HashSet<>();
        for (TaskRecord t : book.tasksOf(job.id())) {
            if (holdsSlot(job, t, now) && t.agentId() != null) {
                covered.add(t.agentId());
            }
        }
        for (String agent : knownAgents) {
            if (!covered.contains(agent) && !book.blacklistedAgents().contains(agent)
                    && restarts.ready(agentSlot(job.id(), agent), now)) {
                out.add(new Demand(job.id(), 0, job.resources(), job.constraints(), agent));
            }
        }
    }

    /** Next attempt number of every slot of a job: one more than any attempt recorded for it. */
    static Map<String, Integer> nextAttempts(Collection<TaskRecord> jobTasks) {
        Map<String, Integer> next = new HashMap<>();
        for (TaskRecord t : jobTasks) {
            next.merge(attemptKey(t.instance(), null), t.attempt() + 1, Math::max);
            if (t.agentId() != null) {
                next.merge(attemptKey(t.instance(), t.agentId()), t.attempt() + 1, Math::max);
            }
        }
        return next;
    }

    /** Slots are instances, except for daemons, whose slot is the agent. */
    static String attemptKey(int instance, String agentId) {
        return agentId != null ? "@" + agentId : Integer.toString(instance);
    }
}
