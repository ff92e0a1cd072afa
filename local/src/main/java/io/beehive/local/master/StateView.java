package io.beehive.local.master;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beehive.local.json.StoutJson;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents of {@code /state} and {@code /slaves}, in the shape a real 1.11 master gives (the fields
 * tools read: agents, frameworks with their tasks, completed frameworks). Built on the event loop.
 */
public final class StateView {

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private final Master master;

    StateView(Master master) {
        this.master = master;
    }

    public String state(String leaderPid) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.11.0");
        root.put("start_time", num(master.startTime() / 1000.0));
        root.put("elected_time", num(master.startTime() / 1000.0));
        root.put("id", master.masterId());
        root.put("pid", master.info().getPid());
        root.put("hostname", master.info().getHostname());
        root.putArray("capabilities").add("AGENT_UPDATE").add("AGENT_DRAINING").add("QUOTA_V2");
        long active = master.agents().values().stream().filter(a -> a.state == AgentRecord.State.ACTIVE).count();
        long unreachable = master.agents().values().stream().filter(a -> a.state == AgentRecord.State.UNREACHABLE).count();
        root.put("activated_slaves", num(active));
        root.put("deactivated_slaves", num(0));
        root.put("unreachable_slaves", num(unreachable));
        root.put("leader", leaderPid);
        ObjectNode leaderInfo = root.putObject("leader_info");
        leaderInfo.put("id", master.masterId());
        leaderInfo.put("pid", master.info().getPid());
        leaderInfo.put("port", master.info().getPort());
        leaderInfo.put("hostname", master.info().getHostname());
        root.set("slaves", slaves(false));
        ArrayNode recovered = root.putArray("recovered_slaves");
        master.agents().values().stream().filter(a -> a.state == AgentRecord.State.RECOVERED)
            .forEach(a -> recovered.addObject().put("id", a.id()));
        ArrayNode frameworks = root.putArray("frameworks");
        master.frameworks().values().forEach(fw -> frameworks.add(framework(fw)));
        ArrayNode completed = root.putArray("completed_frameworks");
        master.completed().forEach(fw -> completed.add(framework(fw)));
        root.putArray("orphan_tasks");
        root.putArray("unregistered_frameworks");
        return root.toString();
    }

    /** {@code /master/frameworks}: every framework, or the one {@code frameworkId} names (null = all). */
    public String frameworks(String frameworkId) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode frameworks = root.putArray("frameworks");
        master.frameworks().values().stream().filter(fw -> frameworkId == null || fw.id.equals(frameworkId))
            .forEach(fw -> frameworks.add(framework(fw)));
        ArrayNode completed = root.putArray("completed_frameworks");
        master.completed().stream().filter(fw -> frameworkId == null || fw.id.equals(frameworkId))
            .forEach(fw -> completed.add(framework(fw)));
        root.putArray("unregistered_frameworks");
        return root.toString();
    }

    /**
     * {@code /master/tasks}: active, unreachable and completed tasks of active and completed frameworks, sorted by
     * their first status' timestamp (newest first unless {@code ascending}), then the page {@code offset},
     * {@code limit}.
     */
    public String tasks(int limit, int offset, boolean ascending, String frameworkId, String taskId) {
        List<MasterTask> all = new java.util.ArrayList<>();
        java.util.stream.Stream.concat(master.frameworks().values().stream(), master.completed().stream())
            .filter(fw -> frameworkId == null || fw.id.equals(frameworkId))
            .forEach(fw -> {
                all.addAll(fw.tasks.values());
                all.addAll(fw.unreachableTasks.values());
                all.addAll(fw.completedTasks);
            });
        all.removeIf(t -> taskId != null && !t.id().equals(taskId));
        // a task without statuses sorts as the oldest, as Mesos' TaskComparator has it
        java.util.Comparator<MasterTask> byFirstStatus = java.util.Comparator.comparingDouble(
            t -> t.statuses.isEmpty() ? Double.NEGATIVE_INFINITY : t.statuses.get(0).getTimestamp());
        all.sort(ascending ? byFirstStatus : byFirstStatus.reversed());
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode tasks = root.putArray("tasks");
        for (int i = offset; i < all.size() && i - offset < limit; i++) {
            tasks.add(task(all.get(i)));
        }
        return root.toString();
    }

    public String slaves() {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("slaves", slaves(true));
        root.putArray("recovered_slaves");
        return root.toString();
    }

    private ArrayNode slaves(boolean full) {
        ArrayNode out = MAPPER.createArrayNode();
        for (AgentRecord rec : master.agents().values()) {
            if (rec.state == AgentRecord.State.RECOVERED || rec.state == AgentRecord.State.GONE
                || rec.state == AgentRecord.State.UNREACHABLE) {
                continue;
            }
            ObjectNode a = out.addObject();
            a.put("id", rec.id());
            a.put("hostname", rec.agent.spec().hostname());
            a.put("port", rec.agent.port());
            ObjectNode attrs = a.putObject("attributes");
            rec.agent.spec().attributes().forEach(attrs::put);
            a.put("pid", "slave(1)@127.0.0.1:" + rec.agent.port());
            a.put("registered_time", num(rec.registeredTime / 1000.0));
            a.set("resources", resources(rec.total));
            ResourceBag used = ResourceBag.EMPTY;
            for (Framework fw : master.frameworks().values()) {
                for (MasterTask t : fw.tasks.values()) {
                    if (t.agentId.equals(rec.id()) && t.consumesResources()) {
                        used = used.plus(t.resources);
                    }
                }
            }
            ResourceBag offered = ResourceBag.EMPTY;
            for (OfferRecord o : master.offers().values()) {
                if (o.agentId.equals(rec.id())) {
                    offered = offered.plus(o.resources);
                }
            }
            a.set("used_resources", resources(used));
            a.set("offered_resources", resources(offered));
            a.putObject("reserved_resources");
            a.set("unreserved_resources", resources(rec.total));
            a.put("active", rec.state == AgentRecord.State.ACTIVE);
            a.put("deactivated", false);
            a.put("version", "1.11.0");
            a.putArray("capabilities").add("MULTI_ROLE").add("HIERARCHICAL_ROLE").add("RESERVATION_REFINEMENT");
        }
        return out;
    }

    private static ObjectNode resources(ResourceBag bag) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("disk", num(bag.scalar("disk")));
        r.put("mem", num(bag.scalar("mem")));
        r.put("gpus", num(0));
        r.put("cpus", num(bag.scalar("cpus")));
        for (Map.Entry<String, List<long[]>> e : bag.ranges().entrySet()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < e.getValue().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(e.getValue().get(i)[0]).append('-').append(e.getValue().get(i)[1]);
            }
            r.put(e.getKey(), sb.append(']').toString());
        }
        return r;
    }

    /** Numbers as Mesos prints them: always a fraction, never exponent notation ({@code 1795316459.837}). */
    private static java.math.BigDecimal num(double d) {
        java.math.BigDecimal b = java.math.BigDecimal.valueOf(d);
        return b.scale() < 1 ? b.setScale(1) : b;
    }

    /**
     * A framework as Mesos' {@code FullFrameworkWriter} prints it, keys in its order: no {@code pid} for an HTTP
     * framework, {@code role} (or {@code roles} with MULTI_ROLE), {@code reregistered_time} only once it differs
     * from {@code registered_time}, {@code unregistered_time} 0 until the framework is removed.
     */
    private ObjectNode framework(Framework fw) {
        ObjectNode f = MAPPER.createObjectNode();
        f.put("id", fw.id);
        f.put("name", fw.info.getName());
        ResourceBag used = ResourceBag.EMPTY;
        for (MasterTask t : fw.tasks.values()) {
            if (t.consumesResources()) {
                used = used.plus(t.resources);
            }
        }
        ResourceBag offered = ResourceBag.EMPTY;
        for (OfferRecord o : master.offers().values()) {
            if (o.frameworkId.equals(fw.id)) {
                offered = offered.plus(o.resources);
            }
        }
        f.set("used_resources", resources(used));
        f.set("offered_resources", resources(offered));
        ArrayNode caps = f.putArray("capabilities");
        fw.info.getCapabilitiesList().forEach(c -> caps.add(c.getType().name()));
        f.put("hostname", fw.info.getHostname());
        f.put("webui_url", fw.info.getWebuiUrl());
        f.put("active", fw.active);
        f.put("connected", fw.state == Framework.State.CONNECTED);
        f.put("recovered", fw.state == Framework.State.RECOVERED);
        f.put("user", fw.info.getUser());
        f.put("failover_timeout", num(fw.info.getFailoverTimeout()));
        f.put("checkpoint", fw.info.getCheckpoint());
        f.put("registered_time", num(fw.registeredTime));
        f.put("unregistered_time", num(fw.unregisteredTime));
        if (fw.info.hasPrincipal()) {
            f.put("principal", fw.info.getPrincipal());
        }
        f.set("resources", resources(used.plus(offered)));
        if (fw.reregisteredTime != fw.registeredTime) {
            f.put("reregistered_time", num(fw.reregisteredTime));
        }
        if (fw.multiRole()) {
            ArrayNode roles = f.putArray("roles");
            fw.roles().forEach(roles::add);
        } else {
            f.put("role", fw.roles().get(0));
        }
        ArrayNode tasks = f.putArray("tasks");
        fw.tasks.values().forEach(t -> tasks.add(task(t)));
        ArrayNode unreachable = f.putArray("unreachable_tasks");
        fw.unreachableTasks.values().forEach(t -> unreachable.add(task(t)));
        ArrayNode completedTasks = f.putArray("completed_tasks");
        fw.completedTasks.forEach(t -> completedTasks.add(task(t)));
        ArrayNode offers = f.putArray("offers");
        master.offers().values().stream().filter(o -> o.frameworkId.equals(fw.id)).forEach(o -> {
            ObjectNode on = offers.addObject();
            on.put("id", o.id);
            on.put("framework_id", o.frameworkId);
            on.putObject("allocation_info").put("role", o.role);
            on.put("slave_id", o.agentId);
            on.set("resources", resources(o.resources));
        });
        f.putArray("executors");
        if (fw.info.hasLabels()) {
            f.set("labels", json(StoutJson.print(fw.info.getLabels())).path("labels"));
        }
        f.putObject("offer_constraints");
        return f;
    }

    private static ObjectNode task(MasterTask t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", t.id());
        n.put("name", t.info.getName());
        n.put("framework_id", t.frameworkId);
        n.put("executor_id", "");
        n.put("slave_id", t.agentId);
        n.put("state", t.state.name());
        n.set("resources", resources(t.resources));
        n.put("role", "*");
        ArrayNode statuses = n.putArray("statuses");
        t.statuses.forEach(s -> statuses.add(status(s)));
        TaskInfo info = t.info;
        if (info.hasLabels()) {
            n.set("labels", json(StoutJson.print(info.getLabels())).path("labels"));
        }
        if (info.hasDiscovery()) {
            n.set("discovery", json(StoutJson.print(info.getDiscovery())));
        }
        if (info.hasContainer()) {
            n.set("container", json(StoutJson.print(info.getContainer())));
        }
        if (info.hasHealthCheck()) {
            n.set("health_check", json(StoutJson.print(info.getHealthCheck())));
        }
        return n;
    }

    /** One entry of a task's {@code statuses}, with the fields a real master prints (health only when reported). */
    private static ObjectNode status(TaskStatus s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("state", s.getState().name());
        n.put("timestamp", num(s.getTimestamp()));
        if (s.hasContainerStatus()) {
            n.set("container_status", json(StoutJson.print(s.getContainerStatus())));
        }
        if (s.hasHealthy()) {
            n.put("healthy", s.getHealthy());
        }
        return n;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String printed) {
        try {
            return MAPPER.readTree(printed);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
