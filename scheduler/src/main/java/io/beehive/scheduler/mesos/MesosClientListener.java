package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * What the client tells its owner. Calls come from the client's I/O threads, one at a time and in stream order
 * (never two concurrently); implementations hand them off quickly (the SDK queues them on its event thread).
 */
public interface MesosClientListener {

    /** SUBSCRIBED arrived; calls may be sent from now on. */
    void subscribed(Event.Subscribed subscribed);

    /** Any event other than SUBSCRIBED and HEARTBEAT, in stream order. */
    void event(Event event);

    /** An established subscription ended; the client is reconnecting by itself. */
    void disconnected(String reason);

    /**
     * The client stopped for good without being asked: another instance took the framework over
     * ({@link ConnectionState#FAILED_OVER}), the framework id is dead ({@link ConnectionState#FRAMEWORK_REMOVED}) or
     * the master refused the subscription ({@link ConnectionState#REFUSED}).
     */
    void terminated(ConnectionState state, String message);
}
