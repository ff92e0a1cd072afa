package io.beehive.election;

/**
 * What the scheduler hears from {@link LeaderElection}.
 *
 * <p>All four run on the election's single callback thread: never two at a time, in the order the events
 * happened, each once. A leadership term reads {@code elected (suspended resumed)* [suspended] deposed}.
 * A callback should return promptly (later events wait behind it) and must not call
 * {@link LeaderElection#abdicate()} or {@link LeaderElection#close()} itself: those wait for the callback thread.
 */
public interface LeadershipListener {

    /** This replica leads from now on; every state write must be fenced with {@code fence}. */
    void elected(Fence fence);

    /** The ZooKeeper connection is in doubt: still leader, but stop launching and writing until resumed. */
    void suspended();

    /** The connection is back and the latch node still leads: carry on. */
    void resumed();

    /** Leadership is gone (the fence no longer holds or soon will not): stop acting as leader now. */
    void deposed(DepositionReason reason);
}
