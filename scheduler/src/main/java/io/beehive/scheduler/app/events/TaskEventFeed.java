package io.beehive.scheduler.app.events;

import io.beehive.scheduler.core.SchedulerEventListener;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * The core's pushed changes (on the leader, after each change is durable) as {@code task}, {@code health} and
 * {@code deployment} events. Runs on the
 * core's loop: it only builds the event and hands it on to non-blocking queues.
 */
final class TaskEventFeed implements SchedulerEventListener {
    private final Consumer<BeehiveEvent> publish;

    TaskEventFeed(Consumer<BeehiveEvent> publish) {
        this.publish = publish;
    }

    @Override
    public void taskStateChanged(TaskRecord task, TaskState previous) {
        publish.accept(BeehiveEvent.task(Instant.now().toString(), task.taskId(), task.jobId(), task.state().name(),
                previous == null ? null : previous.name(), task.agentId()));
    }

    @Override
    public void taskHealthChanged(TaskRecord task) {
        publish.accept(BeehiveEvent.health(Instant.now().toString(), task.taskId(), task.jobId(), task.state().name(),
                Boolean.TRUE.equals(task.healthy()), task.agentId()));
    }

    @Override
    public void deploymentChanged(String jobId, String deploymentId, String change, String message) {
        publish.accept(BeehiveEvent.deployment(Instant.now().toString(), jobId, deploymentId, change, message));
    }
}
