package io.beehive.scheduler.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one replica stands. Every change goes through {@link #canMoveTo}, so a late callback (say, a SUBSCRIBED that
 * arrives after the term was deposed) cannot drag the replica into a phase it has left.
 *
 * <pre>
 * STANDBY → LOADING → SUBSCRIBING → RECONCILING → ACTIVE ⇄ SUSPENDED
 *              any leading phase → STANDBY (deposed) ; any phase → STOPPED (shutdown)
 * </pre>
 */
public enum LifecyclePhase {
    /** A follower: no term, no driver, no in-memory scheduling state. */
    STANDBY,
    /** Elected: reading every record from ZooKeeper. */
    LOADING,
    /** Subscribing to Mesos with the stored FrameworkID (or persisting a new one). Offers are declined. */
    SUBSCRIBING,
    /** Subscribed: asking Mesos for the truth about every known task before acting. Offers are declined. */
    RECONCILING,
    /** Leading normally: launching, acknowledging, replacing. */
    ACTIVE,
    /** ZooKeeper connection in doubt: no launch, no acknowledgement, until resumed (then reconcile again). */
    SUSPENDED,
    /** Shut down for good. */
    STOPPED;

    public boolean isLeading() {
        return this == LOADING || this == SUBSCRIBING || this == RECONCILING || this == ACTIVE || this == SUSPENDED;
    }

    public boolean canMoveTo(LifecyclePhase next) {
        return allowedNext().contains(next);
    }

    private Set<LifecyclePhase> allowedNext() {
        return switch (this) {
            case STANDBY -> EnumSet.of(LOADING, STOPPED);
            case LOADING -> EnumSet.of(SUBSCRIBING, SUSPENDED, STANDBY, STOPPED);
            case SUBSCRIBING -> EnumSet.of(RECONCILING, SUSPENDED, STANDBY, STOPPED);
            case RECONCILING -> EnumSet.of(ACTIVE, SUBSCRIBING, SUSPENDED, STANDBY, STOPPED);
            case ACTIVE -> EnumSet.of(RECONCILING, SUBSCRIBING, SUSPENDED, STANDBY, STOPPED);
            case SUSPENDED -> EnumSet.of(RECONCILING, SUBSCRIBING, LOADING, STANDBY, STOPPED);
            case STOPPED -> EnumSet.noneOf(LifecyclePhase.class);
        };
    }
}
