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
        for (SchedulerEventListener l : listeners) {
            try {
                l.taskStateChanged(task, previous);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed on a task change; skipped", l, e);
            }
        }
    }

    @Override
    public void phaseChanged(LifecyclePhase from, LifecyclePhase to) {
        for (SchedulerEventListener l : listeners) {
            try {
                l.phaseChanged(from, to);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed on a phase change; skipped", l, e);
            }
        }
    }
}
