package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.beehive.scheduler.core.deploy.DeploymentProgress;
import io.beehive.scheduler.core.deploy.Readiness;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;

import java.util.Collection;

/**
 * A job as the API shows it: its record, how its live tasks stand ({@code taskCounts}), and, while a deployment
 * runs, where it stands ({@code deploymentProgress}). The counts are computed from the same task records on every
 * replica.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(@JsonUnwrapped JobRecord job, TaskCounts taskCounts, DeploymentProgress deploymentProgress) {

    /**
     * @param live      tasks not yet terminal (being killed included)
     * @param staging   STAGING or STARTING
     * @param healthy   RUNNING and reported healthy
     * @param unhealthy RUNNING and reported unhealthy
     * @param ready     counting towards a deployment's floor (healthy, or running minReadySeconds without a check)
     */
    public record TaskCounts(int live, int staging, int running, int healthy, int unhealthy, int ready) {
    }

    static JobView of(JobRecord job, Collection<TaskRecord> tasks, long nowMillis) {
        int live = 0;
        int staging = 0;
        int running = 0;
        int healthy = 0;
        int unhealthy = 0;
        int ready = 0;
        for (TaskRecord t : tasks) {
            if (t.state().isTerminal() || t.state() == TaskState.TASK_UNKNOWN) {
                continue;
            }
            live++;
            switch (t.state()) {
                case TASK_STAGING, TASK_STARTING -> staging++;
                case TASK_RUNNING -> {
                    running++;
                    if (Boolean.TRUE.equals(t.healthy())) {
                        healthy++;
                    } else if (Boolean.FALSE.equals(t.healthy())) {
                        unhealthy++;
                    }
                }
                default -> { }
            }
            if (Readiness.ready(t, job.upgradeStrategy(), nowMillis)) {
                ready++;
            }
        }
        DeploymentProgress progress = job.deployment() == null ? null
                : DeploymentProgress.of(job, tasks, nowMillis, t -> !t.state().isTerminal()
                        && t.state() != TaskState.TASK_UNKNOWN);
        return new JobView(job, new TaskCounts(live, staging, running, healthy, unhealthy, ready), progress);
    }
}
