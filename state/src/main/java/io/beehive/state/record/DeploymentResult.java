package io.beehive.state.record;

/** How a deployment ended. A FAILED one that was not itself a rollback is followed by a ROLLBACK deployment. */
public enum DeploymentResult {
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** Another definition change (PATCH with force) took over from where it stood. */
    REPLACED
}
