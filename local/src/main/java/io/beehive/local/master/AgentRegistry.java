package io.beehive.local.master;

import io.beehive.local.agent.AgentLink;

/**
 * Where a master records the agents it admitted, so that the next elected master knows them (real Mesos' registrar
 * keeps {@code slaves.admitted} in its replicated log). The in-process cluster hands its agents to each new leader
 * itself and needs no registry.
 */
public interface AgentRegistry {

    /** Nothing is written: the in-process cluster's agents outlive its masters in the same JVM. */
    AgentRegistry IN_MEMORY = new AgentRegistry() {
        @Override
        public void admit(AgentLink agent) {}

        @Override
        public void remove(String agentId) {}
    };

    /** The agent registered (or re-registered): it is admitted until removed. */
    void admit(AgentLink agent);

    /** The agent was removed or marked gone. */
    void remove(String agentId);
}
