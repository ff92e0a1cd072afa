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

    /** A task's executor reported a new health check result ({@link TaskRecord#healthy()}), now persisted. */
    default void taskHealthChanged(TaskRecord task) {
    }

    /**
     * A SERVICE job's deployment changed, durably.
     *
     * @param change one of started, step, succeeded, failed, rolled-back (a rollback deployment succeeded),
     *               cancelled, replaced
     */
    default void deploymentChanged(String jobId, String deploymentId, String change, String message) {
    }

    /** This replica's lifecycle phase changed (elected, in office, suspended, deposed, ...). */
    default void phaseChanged(LifecyclePhase from, LifecyclePhase to) {
    }
}
