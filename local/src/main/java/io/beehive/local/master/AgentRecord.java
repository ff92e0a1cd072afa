package io.beehive.local.master;

import io.beehive.local.agent.AgentLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** The master's record of an agent (its registry entry plus its live connection state). */
final class AgentRecord {

    /** Registry + connection state of an agent, as seen by one master. */
    enum State {
        /** Registered and connected. */
        ACTIVE,
        /** Registered, socket broken; waiting for re-registration. */
        DISCONNECTED,
        /** Marked unreachable (health check or re-registration timeout). */
        UNREACHABLE,
        /** Marked gone by the operator; never comes back. */
        GONE,
        /** Known from the registry after a master failover, not yet re-registered. */
        RECOVERED
    }

    /** Replaced when the agent re-registers from another process (a new connection, the same agent). */
    AgentLink agent;
    final ResourceBag total;
    State state;
    double unreachableTime;
    long registeredTime = System.currentTimeMillis();
    ScheduledFuture<?> healthCheck;
    ScheduledFuture<?> reregisterTimer;
    /** KILLs for tasks on this agent while it was disconnected; delivered when it re-registers. */
    final List<PendingKill> pendingKills = new ArrayList<>();

    AgentRecord(AgentLink agent, State state) {
        this.agent = agent;
        this.state = state;
        this.total = ResourceBag.of(agent.spec().cpus(), agent.spec().mem(), agent.spec().disk(), agent.spec().ports());
    }

    String id() {
        return agent.id();
    }

    record PendingKill(String frameworkId, String taskId, Duration grace) {}

    void cancelTimers() {
        if (healthCheck != null) {
            healthCheck.cancel(false);
            healthCheck = null;
        }
        if (reregisterTimer != null) {
            reregisterTimer.cancel(false);
            reregisterTimer = null;
        }
    }
}
