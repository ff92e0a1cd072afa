package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * {@code GET /v1/state} and the admin state view. Reconciliation and fail-over times live in the leader's memory:
 * a follower reports them as null and says so in {@code servedBy}.
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
        String lastReconciliation,
        String lastFailoverAt,
        Long lastFailoverDurationMillis,
        String servedBy) {
}
