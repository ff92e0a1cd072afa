package io.beehive.state.record;

/**
 * What Beehive wants of a task. KILLED is written before the KILL call is sent, so a new leader resumes a kill
 * that its predecessor started.
 */
public enum DesiredState {
    RUNNING,
    KILLED
}
