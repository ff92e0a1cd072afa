package io.beehive.scheduler.core;

import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans core events out to the registered listeners. A listener that throws is logged and skipped: an observer must
 * never be able to break the loop that schedules tasks.
 */
public final class SchedulerEvents implements SchedulerEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEvents.class);

    private final List<SchedulerEventListener> listeners = new CopyOnWriteArrayList<>();

    public void add(SchedulerEventListener listener) {
        listeners.add(listener);
    }

    public void remove(SchedulerEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void taskStateChanged(TaskRecord task, TaskState previous) {
        each("a task change", l -> l.taskStateChanged(task, previous));
    }

    @Override
    public void taskHealthChanged(TaskRecord task) {
        each("a health change", l -> l.taskHealthChanged(task));
    }

    @Override
    public void deploymentChanged(String jobId, String deploymentId, String change, String message) {
        each("a deployment change", l -> l.deploymentChanged(jobId, deploymentId, change, message));
    }

    @Override
    public void phaseChanged(LifecyclePhase from, LifecyclePhase to) {
        each("a phase change", l -> l.phaseChanged(from, to));
    }

    private void each(String what, java.util.function.Consumer<SchedulerEventListener> call) {
        for (SchedulerEventListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed on {}; skipped", l, what, e);
            }
        }
    }
}
