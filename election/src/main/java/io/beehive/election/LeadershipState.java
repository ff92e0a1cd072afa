package io.beehive.election;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of one replica's {@link LeaderElection}.
 *
 * <pre>
 * LATENT ──start──▶ FOLLOWING ◀──deposed── LEADING ◀──resumed── SUSPENDED
 *                      │  ▲                  │ ▲                   │
 *                      │  └──rejoin── HANDING_OFF ◀──abdicate──────┘
 *                      └──elected────────────┘ └────suspended──────┘
 *  any state ──close──▶ CLOSED
 * </pre>
 */
public enum LeadershipState {
    /** Built, not started. */
    LATENT,
    /** Contending: the latch node exists (or is being created) and another node is lower. */
    FOLLOWING,
    /** Leader, connection healthy. */
    LEADING,
    /**
     * Leader, but the ZooKeeper connection is in doubt: the scheduler must not launch. Back to LEADING once the
     * latch node is confirmed, to FOLLOWING when the lease runs out first (see {@link SessionLease}), or on LOST.
     */
    SUSPENDED,
    /** Left office on purpose; not contending until a successor is seen (or the wait runs out). */
    HANDING_OFF,
    /** Closed for good. */
    CLOSED;

    /**
     * Whether this state is an office (LEADING or SUSPENDED). Whether the replica may act as leader right now is
     * {@link LeaderElection#isLeader()}, which also checks the lease against the clock.
     */
    public boolean isLeader() {
        return this == LEADING || this == SUSPENDED;
    }

    public boolean canMoveTo(LeadershipState next) {
        return successors().contains(next);
    }

    private Set<LeadershipState> successors() {
        return switch (this) {
            case LATENT -> EnumSet.of(FOLLOWING, CLOSED);
            case FOLLOWING -> EnumSet.of(LEADING, CLOSED);
            case LEADING -> EnumSet.of(SUSPENDED, FOLLOWING, HANDING_OFF, CLOSED);
            case SUSPENDED -> EnumSet.of(LEADING, FOLLOWING, HANDING_OFF, CLOSED);
            case HANDING_OFF -> EnumSet.of(FOLLOWING, CLOSED);
            case CLOSED -> EnumSet.noneOf(LeadershipState.class);
        };
    }
}
