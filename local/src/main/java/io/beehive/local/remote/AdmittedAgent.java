package io.beehive.local.remote;

import io.beehive.local.AgentSpec;

/** An agent as the registry keeps it: enough for a new master to offer it again once it re-registers. */
public record AdmittedAgent(String agentId, AgentSpec spec, int port) {}
