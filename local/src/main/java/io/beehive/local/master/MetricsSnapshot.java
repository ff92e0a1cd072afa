package io.beehive.local.master;

import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * {@code /metrics/snapshot}: the master's own metrics an operator or framework reads, named as in Mesos'
 * {@code src/master/metrics.cpp}, every value a double, keys sorted as the real master prints them. The message,
 * allocator, registrar and per-framework metrics of the real master are left out (nothing here counts them).
 */
public final class MetricsSnapshot {

    private MetricsSnapshot() {}

    /** A standby (or a master not yet elected) prints its gauges as zero. */
    public static Map<String, Double> standby(long startMillis) {
        Map<String, Double> m = new TreeMap<>();
        m.put("master/elected", 0.0);
        m.put("master/uptime_secs", (System.currentTimeMillis() - startMillis) / 1000.0);
        return m;
    }

    static Map<String, Double> of(Master master) {
        Map<String, Double> m = new TreeMap<>();
        m.put("master/elected", 1.0);
        m.put("master/uptime_secs", (System.currentTimeMillis() - master.startTime()) / 1000.0);
        long connected = 0;
        long active = 0;
        long unreachable = 0;
        ResourceBag total = ResourceBag.EMPTY;
        for (AgentRecord rec : master.agents().values()) {
            switch (rec.state) {
                case ACTIVE -> {
                    connected++;
                    active++;
                    total = total.plus(rec.total);
                }
                case DISCONNECTED -> total = total.plus(rec.total);
                case UNREACHABLE -> unreachable++;
                default -> { }
            }
        }
        long registered = master.agents().values().stream()
            .filter(a -> a.state == AgentRecord.State.ACTIVE || a.state == AgentRecord.State.DISCONNECTED).count();
        m.put("master/slaves_connected", (double) connected);
        m.put("master/slaves_disconnected", (double) (registered - connected));
        m.put("master/slaves_active", (double) active);
        m.put("master/slaves_inactive", (double) (registered - active));
        m.put("master/slaves_unreachable", (double) unreachable);
        long fwConnected = master.frameworks().values().stream()
            .filter(f -> f.state == Framework.State.CONNECTED).count();
        long fwActive = master.frameworks().values().stream().filter(f -> f.active).count();
        m.put("master/frameworks_connected", (double) fwConnected);
        m.put("master/frameworks_disconnected", (double) (master.frameworks().size() - fwConnected));
        m.put("master/frameworks_active", (double) fwActive);
        m.put("master/frameworks_inactive", (double) (master.frameworks().size() - fwActive));
        m.put("master/outstanding_offers", (double) master.offers().size());
        Map<TaskState, Long> live = new TreeMap<>();
        ResourceBag used = ResourceBag.EMPTY;
        for (Framework fw : master.frameworks().values()) {
            for (MasterTask t : fw.tasks.values()) {
                live.merge(t.state, 1L, Long::sum);
                if (t.consumesResources()) {
                    used = used.plus(t.resources);
                }
            }
            live.merge(TaskState.TASK_UNREACHABLE, (long) fw.unreachableTasks.size(), Long::sum);
        }
        for (TaskState s : new TaskState[] {TaskState.TASK_STAGING, TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
            TaskState.TASK_KILLING, TaskState.TASK_UNREACHABLE}) {
            m.put(key(s), (double) live.getOrDefault(s, 0L));
        }
        for (TaskState s : new TaskState[] {TaskState.TASK_FINISHED, TaskState.TASK_FAILED, TaskState.TASK_KILLED,
            TaskState.TASK_LOST, TaskState.TASK_ERROR, TaskState.TASK_DROPPED, TaskState.TASK_GONE,
            TaskState.TASK_GONE_BY_OPERATOR}) {
            m.put(key(s), (double) master.terminalTaskCount(s));
        }
        m.put("master/slave_registrations", (double) master.agentRegistrations());
        m.put("master/slave_reregistrations", (double) master.agentReregistrations());
        m.put("master/slave_removals", (double) master.agentRemovals());
        for (String name : new String[] {"cpus", "mem", "disk", "gpus"}) {
            double t = total.scalar(name);
            double u = used.scalar(name);
            m.put("master/" + name + "_total", t);
            m.put("master/" + name + "_used", u);
            m.put("master/" + name + "_percent", t == 0 ? 0.0 : u / t);
        }
        return m;
    }

    private static String key(TaskState state) {
        return "master/tasks_" + state.name().substring("TASK_".length()).toLowerCase(java.util.Locale.ROOT);
    }
}
