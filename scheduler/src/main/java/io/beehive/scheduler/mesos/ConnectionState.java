package io.beehive.scheduler.mesos;

import java.util.EnumSet;
import java.util.Set;

/**
 * The subscription's lifecycle (mesos-v1-scheduler.md §4.1). Every change goes through {@link #canMoveTo}, so an
 * illegal jump (say, a late stream callback trying to mark a stopped client SUBSCRIBED) is refused in one place.
 */
public enum ConnectionState {
    /** Not started yet. */
    NEW,
    /** Looking for the leading master. */
    DETECTING,
    /** SUBSCRIBE sent, waiting for the SUBSCRIBED event. */
    SUBSCRIBING,
    /** Stream open and SUBSCRIBED received: calls may be sent. */
    SUBSCRIBED,
    /** The last attempt failed or the stream ended; waiting out the backoff before detecting again. */
    BACKING_OFF,
    /** Another scheduler instance subscribed with our framework id ("Framework failed over"). Terminal. */
    FAILED_OVER,
    /** The master answered SUBSCRIBE with an ERROR (invalid FrameworkInfo, not authorized, …). Terminal. */
    REFUSED,
    /**
     * "Framework has been removed": the framework id was torn down or its failover_timeout expired; its tasks are gone
     * and the id can never subscribe again. Terminal; what to do with the stored id is an operator decision.
     */
    FRAMEWORK_REMOVED,
    /** Stopped by the owner (stop, teardown or abort). Terminal. */
    STOPPED;

    public boolean isTerminal() {
        return this == FAILED_OVER || this == REFUSED || this == FRAMEWORK_REMOVED || this == STOPPED;
    }

    public boolean canMoveTo(ConnectionState next) {
        return allowedNext().contains(next);
    }

    private Set<ConnectionState> allowedNext() {
        switch (this) {
            case NEW:
                return EnumSet.of(DETECTING, STOPPED);
            case DETECTING:
                return EnumSet.of(SUBSCRIBING, BACKING_OFF, STOPPED);
            case SUBSCRIBING:
                return EnumSet.of(SUBSCRIBED, BACKING_OFF, REFUSED, FRAMEWORK_REMOVED, FAILED_OVER, STOPPED);
            case SUBSCRIBED:
                return EnumSet.of(BACKING_OFF, FAILED_OVER, REFUSED, STOPPED);
            case BACKING_OFF:
                return EnumSet.of(DETECTING, STOPPED);
            default:
                return EnumSet.noneOf(ConnectionState.class);
        }
    }
}
