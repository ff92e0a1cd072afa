package io.beehive.scheduler.app.runtime;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where the replica's process-level lifecycle stands (the scheduler's own leading/following phases are
 * {@link io.beehive.scheduler.core.LifecyclePhase}).
 *
 * <pre>
 * NEW → CONNECTING → CONNECTED → RUNNING → STOPPING → STOPPED
 *        any phase before STOPPING → FAILED (start-up failed; stop() still releases what was started)
 * </pre>
 * CONNECTED waits for Jetty: the replica joins the election only once its API port is known and bound, because
 * the port is its advertised address and other replicas forward writes to it.
 */
public enum ReplicaPhase {
    NEW, CONNECTING, CONNECTED, RUNNING, STOPPING, STOPPED, FAILED;

    public boolean canMoveTo(ReplicaPhase next) {
        return allowedNext().contains(next);
    }

    private Set<ReplicaPhase> allowedNext() {
        return switch (this) {
            case NEW -> EnumSet.of(CONNECTING, STOPPING);
            case CONNECTING -> EnumSet.of(CONNECTED, FAILED, STOPPING);
            case CONNECTED -> EnumSet.of(RUNNING, FAILED, STOPPING);
            case RUNNING -> EnumSet.of(STOPPING);
            case FAILED -> EnumSet.of(STOPPING);
            case STOPPING -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(ReplicaPhase.class);
        };
    }
}
