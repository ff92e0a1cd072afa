package io.beehive.local.agent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A task on an agent with its status-update stream: updates are queued, only the oldest unacknowledged one is
 * in flight, and it is re-sent with doubling backoff until the scheduler acknowledges its uuid.
 */
final class AgentTask {

    final String frameworkId;
    final TaskInfo info;
    final String containerId;
    FrameworkInfo frameworkInfo;
    TaskState latestState = TaskState.TASK_STAGING;
    TaskStatus latestStatus;
    final Deque<TaskStatus> pending = new ArrayDeque<>();
    ScheduledFuture<?> retry;
    Duration retryDelay;
    TaskRunner runner;
    boolean killRequested;

    AgentTask(String frameworkId, FrameworkInfo frameworkInfo, TaskInfo info, String containerId) {
        this.frameworkId = frameworkId;
        this.frameworkInfo = frameworkInfo;
        this.info = info;
        this.containerId = containerId;
    }

    String id() {
        return info.getTaskId().getValue();
    }

    boolean terminal() {
        return switch (latestState) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    /** The grace period of a kill the executor decides on (failed health checks): the task's kill policy, or 3 s. */
    Duration killGracePeriod() {
        return info.hasKillPolicy() && info.getKillPolicy().hasGracePeriod()
            ? Duration.ofNanos(info.getKillPolicy().getGracePeriod().getNanoseconds())
            : Duration.ofSeconds(3);
    }

    boolean killingStateCapable() {
        return frameworkInfo.getCapabilitiesList().stream()
            .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    }
}
