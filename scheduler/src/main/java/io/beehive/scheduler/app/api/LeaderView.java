package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code GET /v1/leader}: who leads (its advertised API address), since when, and who answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaderView(String leader, Long epoch, String since, String self, boolean selfIsLeader) {
}
