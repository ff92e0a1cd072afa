package io.beehive.scheduler.core.term;

import io.beehive.state.record.TaskState;

/** Mesos task states ⇄ Beehive's, and the one question the planner asks of a state. */
public final class TaskStates {
    private TaskStates() {
    }

    public static TaskState fromMesos(org.apache.mesos.v1.Protos.TaskState s) {
        try {
            return TaskState.valueOf(s.name());
        } catch (IllegalArgumentException e) {
            return TaskState.TASK_UNKNOWN;
        }
    }

    /**
     * True when the task no longer occupies its slot: terminal, or reported UNKNOWN by Mesos (the master has never
     * heard of it, so it is not running anywhere and must be replaced with a new task id).
     */
    public static boolean isGone(TaskState s) {
        return s.isTerminal() || s == TaskState.TASK_UNKNOWN;
    }
}
