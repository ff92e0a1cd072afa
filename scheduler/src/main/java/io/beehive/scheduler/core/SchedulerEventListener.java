package io.beehive.scheduler.core;

import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;

/**
 * What the core tells the application as it happens, so the event stream pushes changes instead of polling. Calls
 * come from the term's loop or the election thread, after the change is durable in ZooKeeper: a listener must
 * return at once (hand the event to its own queue) and must not call back into the scheduler.
 */
public interface SchedulerEventListener {
    /**
     * A task record reached a new state and that state is persisted.
     *
     * @param previous the state before, or null when the record is new (a task just created for launch)
     */
    default void taskStateChanged(TaskRecord task, TaskState previous) {
    }

    /** This replica's lifecycle phase changed (elected, in office, suspended, deposed, ...). */
    default void phaseChanged(LifecyclePhase from, LifecyclePhase to) {
    }
}
