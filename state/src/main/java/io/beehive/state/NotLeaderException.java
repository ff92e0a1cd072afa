package io.beehive.state;

import io.beehive.election.Fence;

/**
 * The writer's fence node is gone: its leadership term is over (latch closed or reset, or its session expired,
 * even if the client has since reconnected with a new session). Nothing of the refused transaction landed. One
 * exception, in the safe direction: if an earlier attempt of the same transaction was cut off by a connection
 * loss (outcome unknown) and Curator's retry then met the gone fence, that earlier attempt may have landed. A
 * caller that treats the write as failed (does not launch, does not acknowledge) stays correct either way. The
 * only correct reaction is to stop acting as leader.
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
