package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Decides which connection to the master a call travels on.
 *
 * <p>The Jetty client sends one request at a time on a connection, so a single connection caps the client at one
 * round trip per call (about 1,000 calls/s on loopback) however many calls are queued. Most calls must keep their
 * relative order (a LAUNCH before the RECONCILE that follows it, a KILL after its LAUNCH), so they all share the
 * ordered lane {@link #ORDERED}. An ACKNOWLEDGE only has to follow its own status update, which the master sent
 * before the scheduler could acknowledge it; acknowledgements of different tasks may therefore overtake each other.
 * They are spread over {@code ackLanes} extra connections, each a {@link PipelinedConnection} (many requests in
 * flight, answered in order) to a plain-HTTP master, and the lane is a pure function of the agent and task, so two
 * acknowledgements about the same task always share one connection and reach the master in the order they were made.
 */
final class CallLanes {

    /** The lane of every call whose order matters. */
    static final int ORDERED = 0;

    private final int ackLanes;

    CallLanes(int ackLanes) {
        if (ackLanes < 0) {
            throw new IllegalArgumentException("ackLanes must not be negative: " + ackLanes);
        }
        this.ackLanes = ackLanes;
    }

    /** Connections in use at most: the ordered lane plus the acknowledgement lanes. */
    int count() {
        return 1 + ackLanes;
    }

    /** {@link #ORDERED}, or 1..ackLanes for an acknowledgement. */
    int laneOf(Call call) {
        if (ackLanes == 0 || call.getType() != Call.Type.ACKNOWLEDGE || !call.hasAcknowledge()) {
            return ORDERED;
        }
        Call.Acknowledge ack = call.getAcknowledge();
        int hash = 31 * ack.getAgentId().getValue().hashCode() + ack.getTaskId().getValue().hashCode();
        return 1 + Math.floorMod(hash, ackLanes);
    }
}
