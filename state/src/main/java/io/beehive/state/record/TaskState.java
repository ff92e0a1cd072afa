package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A task's last known state. The names are Mesos' {@code TaskState} names, so
 * {@code TaskState.valueOf(mesosState.name())} converts. A name this version does not know (written by a newer
 * Beehive or a newer Mesos) reads as {@link #TASK_UNKNOWN}, which makes the leader reconcile the task instead of
 * quarantining a record that is merely newer.
 */
public enum TaskState {
    TASK_STAGING(false),
    TASK_STARTING(false),
    TASK_RUNNING(false),
    TASK_KILLING(false),
    TASK_FINISHED(true),
    TASK_FAILED(true),
    TASK_KILLED(true),
    TASK_ERROR(true),
    TASK_LOST(true),
    TASK_DROPPED(true),
    TASK_UNREACHABLE(false),
    TASK_GONE(true),
    TASK_GONE_BY_OPERATOR(true),
    @JsonEnumDefaultValue
    TASK_UNKNOWN(false);

    private final boolean terminal;

    TaskState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Terminal states never change again; the task's resources are free. */
    public boolean isTerminal() {
        return terminal;
    }
}
