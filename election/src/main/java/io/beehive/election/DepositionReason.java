package io.beehive.election;

/** Why a leadership term ended. */
public enum DepositionReason {
    /** The ZooKeeper session expired, or Curator gave it up after a long SUSPENDED (simulated expiration). */
    SESSION_LOST,
    /**
     * The connection stayed SUSPENDED too long to keep office safely: the leader stepped down before ZooKeeper
     * could expire its session and elect another (see {@link LeaderElection}).
     */
    SUSPENDED_TOO_LONG,
    /** The latch node vanished or stopped being the lowest while the session lived (e.g. deleted by hand). */
    LATCH_LOST,
    /** {@link LeaderElection#abdicate()} was called (by an operator, or at the end of the term limit). */
    ABDICATED,
    /** {@link LeaderElection#close()} was called: the replica is shutting down. */
    CLOSED
}
