package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/state} and the admin state view. The term fields (epoch, fail-over, reconciliation, FrameworkID)
 * come from the status the leader publishes in ZooKeeper, so every replica shows the same values;
 * {@code termStatusSource} says where they came from ({@code zookeeper}, {@code leader-memory} on a leader that has
 * not published yet, {@code none}). {@code lastFailoverAt} is when the current leader took office;
 * {@code lastFailoverDurationMillis} runs from the new leader's election to its being ready (subscribed, reconciled);
 * the wait for a crashed predecessor's session to expire is not in it.
 * Task counts and jobs come from the leader's memory or, on a follower, ZooKeeper ({@code servedBy}).
 * {@code replicas} are the election's participants and {@code failovers} the last fail-overs (newest first, at most
 * 20), both read from ZooKeeper, so every replica lists the same.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StateSummary(
        String self,
        String role,
        String phase,
        String leader,
        String leaderSince,
        String frameworkId,
        Map<String, Long> taskCounts,
        int jobs,
        Long termEpoch,
        String subscribedAt,
        String lastReconciliation,
        String lastFailoverAt,
        Long lastFailoverDurationMillis,
        String termStatusSource,
        String servedBy,
        List<ReplicaView> replicas,
        List<FailoverView> failovers) {
}
