package io.beehive.election;

import java.time.Instant;
import java.util.Objects;

/**
 * Who leads, since when, in which term: what the leader publishes at {@code <root>/leader-info}.
 *
 * @param participantId the leader's advertised API address
 * @param epoch         the term's fence epoch (latch node sequence number)
 * @param latchPath     the term's latch node: the leader is current exactly while this node exists
 * @param since         when the leader took office (its own clock)
 */
public record LeaderInfo(String participantId, long epoch, String latchPath, Instant since) {
    public LeaderInfo {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(latchPath, "latchPath");
        Objects.requireNonNull(since, "since");
    }

    public Fence fence() {
        return new Fence(latchPath, epoch);
    }
}
