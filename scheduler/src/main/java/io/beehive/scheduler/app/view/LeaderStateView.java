package io.beehive.scheduler.app.view;

import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.util.Collection;
import java.util.Optional;

/** The leader's in-memory view, straight from the scheduler facade. */
final class LeaderStateView implements StateView {
    private final BeehiveScheduler scheduler;

    LeaderStateView(BeehiveScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Collection<JobRecord> jobs() {
        return scheduler.jobs();
    }

    @Override
    public Optional<JobRecord> job(String jobId) {
        return scheduler.job(jobId);
    }

    @Override
    public Collection<TaskRecord> tasks() {
        return scheduler.tasks();
    }

    @Override
    public Optional<TaskRecord> task(String taskId) {
        return scheduler.tasks().stream().filter(t -> t.taskId().equals(taskId)).findFirst();
    }

    @Override
    public Collection<BlacklistEntry> blacklist() {
        return scheduler.blacklist();
    }

    @Override
    public Optional<String> frameworkId() {
        return scheduler.frameworkId();
    }

    @Override
    public boolean authoritative() {
        return true;
    }
}
