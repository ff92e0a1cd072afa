package io.beehive.scheduler.core.term;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A leadership term's in-memory copy of jobs, tasks and the blacklist. Changed only on the term's event loop;
 * concurrent maps so the read-only API views can look at it from other threads without locks.
 */
public final class TaskBook {
    private final Map<String, JobRecord> jobs;
    private final Map<String, TaskRecord> tasks;
    private final Map<String, Map<String, TaskRecord>> tasksByJob;
    private final Map<String, BlacklistEntry> blacklist = new ConcurrentHashMap<>();
    /** Tasks whose last update write failed: their record here is ahead of ZooKeeper until a write lands. */
    private final Set<String> aheadOfStore = ConcurrentHashMap.newKeySet();
    /**
     * The tasks that are not gone, and those that carry a restart backoff: a new leader reconciles the first and
     * restores the second before it acts, and with 100,000 finished records a walk over every task for each cost
     * tens of milliseconds of the fail-over (more while the JIT had not compiled it). Usually a small part of all.
     */
    private final Map<String, TaskRecord> live = new ConcurrentHashMap<>();
    private final Map<String, TaskRecord> backingOff = new ConcurrentHashMap<>();

    public TaskBook(Collection<JobRecord> jobs, Collection<TaskRecord> tasks, Collection<BlacklistEntry> blacklist) {
        // Sized for what is loaded: a new leader builds this on the fail-over's critical path, and growing a map of
        // 100,000 entries from 16 rehashes it 13 times.
        this.jobs = new ConcurrentHashMap<>(capacity(jobs.size()));
        this.tasks = new ConcurrentHashMap<>(capacity(tasks.size()));
        this.tasksByJob = new ConcurrentHashMap<>(capacity(jobs.size()));
        jobs.forEach(this::putJob);
        tasks.forEach(this::putTask);
        blacklist.forEach(b -> this.blacklist.put(b.agentId(), b));
    }

    private static int capacity(int entries) {
        return Math.max(16, entries + entries / 3);
    }

    public void putJob(JobRecord job) {
        jobs.put(job.id(), job);
    }

    public void removeJob(String jobId) {
        jobs.remove(jobId);
        Map<String, TaskRecord> owned = tasksByJob.remove(jobId);
        if (owned != null) {
            owned.keySet().forEach(tasks::remove);
            owned.keySet().forEach(aheadOfStore::remove);
            owned.keySet().forEach(live::remove);
            owned.keySet().forEach(backingOff::remove);
        }
    }

    /** Forgets the job's record only (its task records stay until they are removed): as ZooKeeper has them. */
    void forgetJob(String jobId) {
        jobs.remove(jobId);
    }

    public JobRecord job(String jobId) {
        return jobs.get(jobId);
    }

    public Collection<JobRecord> jobs() {
        return Collections.unmodifiableCollection(jobs.values());
    }

    public void putTask(TaskRecord task) {
        tasks.put(task.taskId(), task);
        tasksByJob.computeIfAbsent(task.jobId(), j -> new ConcurrentHashMap<>()).put(task.taskId(), task);
        if (TaskStates.isGone(task.state())) {
            live.remove(task.taskId());
        } else {
            live.put(task.taskId(), task);
        }
        if (task.backoff() == null) {
            backingOff.remove(task.taskId());
        } else {
            backingOff.put(task.taskId(), task);
        }
    }

    public void removeTask(String taskId) {
        aheadOfStore.remove(taskId);
        live.remove(taskId);
        backingOff.remove(taskId);
        TaskRecord t = tasks.remove(taskId);
        if (t != null) {
            Map<String, TaskRecord> owned = tasksByJob.get(t.jobId());
            if (owned != null) {
                owned.remove(taskId);
            }
        }
    }

    /** Whether the task's last write failed, so what this book holds for it may not be durable. */
    public boolean isAheadOfStore(String taskId) {
        return aheadOfStore.contains(taskId);
    }

    /** Records the outcome of the task's last write: failed (the book is ahead) or durable (it is not). */
    public void writeAnswered(String taskId, boolean durable) {
        if (durable) {
            aheadOfStore.remove(taskId);
        } else if (tasks.containsKey(taskId)) {
            aheadOfStore.add(taskId);
        }
    }

    public TaskRecord task(String taskId) {
        return tasks.get(taskId);
    }

    public Collection<TaskRecord> tasks() {
        return Collections.unmodifiableCollection(tasks.values());
    }

    public Collection<TaskRecord> tasksOf(String jobId) {
        Map<String, TaskRecord> owned = tasksByJob.get(jobId);
        return owned == null ? List.of() : Collections.unmodifiableCollection(owned.values());
    }

    /** Tasks that still hold (or may hold) a place on an agent. */
    public List<TaskRecord> liveTasks() {
        return new ArrayList<>(live.values());
    }

    /** Tasks whose record carries a restart backoff (their job may be gone). */
    public Collection<TaskRecord> tasksWithBackoff() {
        return Collections.unmodifiableCollection(backingOff.values());
    }

    public void blacklist(BlacklistEntry entry) {
        blacklist.put(entry.agentId(), entry);
    }

    public void unblacklist(String agentId) {
        blacklist.remove(agentId);
    }

    public Set<String> blacklistedAgents() {
        return Collections.unmodifiableSet(blacklist.keySet());
    }

    public Collection<BlacklistEntry> blacklistEntries() {
        return Collections.unmodifiableCollection(blacklist.values());
    }
}
