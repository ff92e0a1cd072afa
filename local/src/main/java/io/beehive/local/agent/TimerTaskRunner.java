package io.beehive.local.agent;

import java.time.Duration;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * No process: STARTING and RUNNING on timers, then RUNNING until killed; a task with a health check is reported
 * healthy one step after RUNNING. For scale tests.
 */
final class TimerTaskRunner implements TaskRunner {

    private final LocalAgent agent;
    private final AgentTask task;
    private final Duration step;
    private boolean destroyed;

    TimerTaskRunner(LocalAgent agent, AgentTask task, Duration step) {
        this.agent = agent;
        this.task = task;
        this.step = step;
    }

    @Override
    public void start() {
        agent.loop().schedule(step, () -> {
            if (!destroyed && !task.killRequested) {
                agent.update(task, TaskState.TASK_STARTING, null, null, null);
                agent.loop().schedule(step, () -> {
                    if (!destroyed && !task.killRequested) {
                        agent.update(task, TaskState.TASK_RUNNING, null, null, null);
                        if (task.info.hasHealthCheck()) {
                            agent.loop().schedule(step, this::reportHealthy);
                        }
                    }
                });
            }
        });
    }

    /** No process to check: the task passes its first health check, which the executor reports once. */
    private void reportHealthy() {
        if (!destroyed && !task.killRequested) {
            agent.update(task, TaskState.TASK_RUNNING, null,
                TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, null, true);
        }
    }

    @Override
    public void kill(Duration gracePeriod) {
        if (destroyed) {
            return;
        }
        if (task.killingStateCapable()) {
            agent.update(task, TaskState.TASK_KILLING, null, null, null);
        }
        agent.update(task, TaskState.TASK_KILLED, "Command terminated with signal Terminated", null, null);
        destroyed = true;
    }

    @Override
    public void destroy() {
        destroyed = true;
    }
}
