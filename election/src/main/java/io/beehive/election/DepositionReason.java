package io.beehive.election;

/** Why a leadership term ended. */
public enum DepositionReason {
    /** The ZooKeeper session expired, or Curator gave it up after a long SUSPENDED (simulated expiration). */
    SESSION_LOST,
    /**
     * The lease ran out: no answer from ZooKeeper proved the session alive recently enough (the connection was
     * SUSPENDED, or the ensemble stopped answering), so the leader stepped down before ZooKeeper could expire its
     * session and elect another (see {@link SessionLease}). Replaces the former SUSPENDED_TOO_LONG, a limit on
     * the time since SUSPENDED.
     */
    LEASE_EXPIRED,
    /** The latch node vanished or stopped being the lowest while the session lived (e.g. deleted by hand). */
    LATCH_LOST,
    /** {@link LeaderElection#abdicate()} was called (by an operator, or at the end of the term limit). */
    ABDICATED,
    /** {@link LeaderElection#close()} was called: the replica is shutting down. */
    CLOSED
}
