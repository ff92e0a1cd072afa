package io.beehive.state;

import io.beehive.election.Fence;

/**
 * The writer's fence node is gone: its leadership term is over (latch closed or reset, or its session expired,
 * even if the client has since reconnected with a new session). Nothing of the transaction landed. The only
 * correct reaction is to stop acting as leader.
 */
public final class NotLeaderException extends StateException {
    private final transient Fence fence;

    public NotLeaderException(Fence fence) {
        super("not leader: fence " + fence.latchPath() + " (epoch " + fence.epoch() + ") no longer exists; "
                + "nothing was written");
        this.fence = fence;
    }

    public Fence fence() {
        return fence;
    }
}
