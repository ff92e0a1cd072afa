package io.beehive.state.record;

/** What a job's goal means for its tasks. */
public enum JobKind {
    /** {@code instances} copies kept running; a finished task is replaced. */
    SERVICE,
    /** A command run to successful completion, retried up to the restart policy's limit. */
    BATCH,
    /** One copy on every eligible agent. */
    DAEMON
}
