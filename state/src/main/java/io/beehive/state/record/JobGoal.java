package io.beehive.state.record;

/**
 * What the operator wants of a job. Deleting is a goal, not an immediate removal, so that "kill every task,
 * then remove the job" survives a fail-over half way through.
 */
public enum JobGoal {
    RUNNING,
    DELETED
}
