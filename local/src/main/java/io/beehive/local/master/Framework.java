package io.beehive.local.master;

import io.beehive.local.http.SubscriptionStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/** The master's record of one framework. Mutated only on the event loop. */
final class Framework {

    /** Connection state, as Mesos's Framework::State. */
    enum State {
        /** Has a live subscription stream. */
        CONNECTED,
        /** Known, stream gone, failover timer running. */
        DISCONNECTED,
        /** Known only from agents' reports after a master failover; not yet re-subscribed. */
        RECOVERED
    }

    final String id;
    FrameworkInfo info;
    State state;
    boolean active;
    SubscriptionStream stream;
    ScheduledFuture<?> heartbeat;
    ScheduledFuture<?> failoverTimer;
    long disconnectedAt;
    final Set<String> suppressedRoles = new HashSet<>();
    final List<OfferFilter> filters = new ArrayList<>();
    /** Active tasks: non-terminal, or terminal with the terminal update not yet acknowledged. */
    final Map<String, MasterTask> tasks = new LinkedHashMap<>();
    /** Tasks on unreachable agents, with the time they became unreachable. */
    final Map<String, MasterTask> unreachableTasks = new LinkedHashMap<>();
    /** Terminal tasks removed from {@link #tasks}, oldest first, at most {@link #MAX_COMPLETED_TASKS}. */
    final Deque<MasterTask> completedTasks = new ArrayDeque<>();
    /** Seconds since the epoch; re-registration is a re-subscription of a framework this master knows. */
    double registeredTime = MesosTime.nowSeconds();
    double reregisteredTime = registeredTime;
    /** 0 until the framework is removed (Mesos prints a default {@code Time}). */
    double unregisteredTime;

    /** The real master's {@code --max_completed_tasks_per_framework} default. */
    static final int MAX_COMPLETED_TASKS = 1000;

    Framework(String id, FrameworkInfo info, State state) {
        this.id = id;
        this.info = info;
        this.state = state;
    }

    /** A task leaves the active set for good (Mesos' {@code Framework::addCompletedTask}). */
    void addCompletedTask(MasterTask task) {
        completedTasks.addLast(task);
        while (completedTasks.size() > MAX_COMPLETED_TASKS) {
            completedTasks.removeFirst();
        }
    }

    boolean partitionAware() {
        return hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    boolean multiRole() {
        return hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE);
    }

    boolean hasCapability(FrameworkInfo.Capability.Type type) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }

    /** The roles the framework subscribed to; a non-MULTI_ROLE framework has its {@code role} (default "*"). */
    @SuppressWarnings("deprecation")
    List<String> roles() {
        if (multiRole()) {
            return info.getRolesList();
        }
        return List.of(info.hasRole() ? info.getRole() : "*");
    }

    /** A refuse filter installed by a DECLINE or by the unused part of an ACCEPT. */
    record OfferFilter(String agentId, String role, ResourceBag refused, long expiresAtNanos) {}
}
