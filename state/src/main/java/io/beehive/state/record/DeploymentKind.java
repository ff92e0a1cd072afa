package io.beehive.state.record;

/** Why a deployment runs: a changed definition, a rolling restart, or a way back to the previous definition. */
public enum DeploymentKind {
    UPDATE,
    RESTART,
    ROLLBACK
}
