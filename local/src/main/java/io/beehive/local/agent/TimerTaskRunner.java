package io.beehive.local.agent;

import java.time.Duration;
import org.apache.mesos.v1.Protos.TaskState;

/** No process: STARTING and RUNNING on timers, then RUNNING until killed. For scale tests. */
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
                    }
                });
            }
        });
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
