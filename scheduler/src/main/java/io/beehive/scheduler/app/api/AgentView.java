package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An agent as Beehive knows it: from the tasks placed on it and the blacklist (the v1 scheduler API does not list
 * agents, so an agent that never ran a Beehive task and is not blacklisted does not appear).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentView(String agentId, String hostname, int activeTasks, boolean blacklisted, String blacklistReason,
                        Long blacklistedSinceMillis) {
}
