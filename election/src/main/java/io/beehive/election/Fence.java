package io.beehive.election;

import java.util.Objects;

/**
 * What a leader's writes must prove: that the ZooKeeper node which made it leader still exists.
 *
 * <p>The node is the leader's own {@code LeaderLatch} node (ephemeral, sequential). It disappears when the
 * latch is closed, when the session that created it expires, and when Curator resets the latch after a
 * reconnect; in each case a new node, with a new path, is created if the replica contends again. So a
 * ZooKeeper transaction that includes {@code check(latchPath)} lands only while this exact leadership term
 * lasts, and a deposed or paused leader's write fails atomically instead of landing (DESIGN.md, invariant 1).
 *
 * @param latchPath full path of the leader's latch node, e.g. {@code /beehive/leader/_c_...-latch-0000000007}
 * @param epoch     the node's sequence number: strictly increases from one leadership term to the next
 */
public record Fence(String latchPath, long epoch) {
    public Fence {
        Objects.requireNonNull(latchPath, "latchPath");
        if (!latchPath.startsWith("/")) {
            throw new IllegalArgumentException("latchPath must be absolute: " + latchPath);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        }
    }
}
