package io.beehive.local.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * An agent's {@code GET /state} in the shape of a real 1.11 agent (traces 01 and 09): the agent's identity, then
 * {@code frameworks[]} with live {@code executors[]} and {@code completed_executors[]}, and
 * {@code completed_frameworks[]} for frameworks with no live executor left. Each executor names its sandbox in
 * {@code directory}, the real directory the task runs in. Built on the event loop.
 */
final class AgentStateView {

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final LocalAgent agent;
    private final String masterHostname;

    AgentStateView(LocalAgent agent, String masterHostname) {
        this.agent = agent;
        this.masterHostname = masterHostname;
    }

    String json() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.11.0");
        root.put("id", agent.id());
        root.put("pid", "slave(1)@127.0.0.1:" + agent.port());
        root.put("hostname", agent.spec().hostname());
        ObjectNode resources = root.putObject("resources");
        resources.put("disk", num(agent.spec().disk()));
        resources.put("mem", num(agent.spec().mem()));
        resources.put("gpus", num(0));
        resources.put("cpus", num(agent.spec().cpus()));
        ObjectNode attributes = root.putObject("attributes");
        agent.spec().attributes().forEach(attributes::put);
        root.put("master_hostname", masterHostname);
        ObjectNode flags = root.putObject("flags");
        flags.put("port", String.valueOf(agent.port()));
        flags.put("work_dir", agent.workRoot().toString());

        Map<String, FrameworkInfo> infos = new LinkedHashMap<>();
        agent.liveTasks().forEach((fw, byId) -> byId.values().forEach(t -> infos.put(fw, t.frameworkInfo)));
        List<String> completedOnly = new ArrayList<>();
        for (String fw : agent.completedExecutors().frameworkIds()) {
            boolean live = !agent.liveTasks().getOrDefault(fw, Map.of()).isEmpty();
            if (!live) {
                completedOnly.add(fw);
            }
        }
        ArrayNode frameworks = root.putArray("frameworks");
        infos.forEach((fw, info) -> frameworks.add(framework(fw, info)));
        ArrayNode completedFrameworks = root.putArray("completed_frameworks");
        for (String fw : completedOnly) {
            List<AgentTask> done = agent.completedExecutors().of(fw);
            completedFrameworks.add(framework(fw, done.get(done.size() - 1).frameworkInfo));
        }
        return root.toString();
    }

    private ObjectNode framework(String frameworkId, FrameworkInfo info) {
        ObjectNode f = MAPPER.createObjectNode();
        f.put("id", frameworkId);
        f.put("name", info.getName());
        f.put("user", info.getUser());
        f.put("failover_timeout", num(info.getFailoverTimeout()));
        f.put("checkpoint", info.getCheckpoint());
        f.put("hostname", info.getHostname());
        f.put("role", info.getRolesCount() > 0 ? info.getRoles(0) : info.getRole());
        ArrayNode executors = f.putArray("executors");
        agent.liveTasks().getOrDefault(frameworkId, Map.of()).values().forEach(t -> executors.add(executor(t)));
        ArrayNode completed = f.putArray("completed_executors");
        agent.completedExecutors().of(frameworkId).forEach(t -> completed.add(executor(t)));
        return f;
    }

    private ObjectNode executor(AgentTask t) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("id", t.id());
        e.put("name", executorName(t.info));
        e.put("source", t.id());
        e.put("container", t.containerId);
        e.put("directory", agent.sandbox(t.frameworkId, t.id()).toString());
        e.set("resources", resources(t.info.getResourcesList()));
        e.put("role", "*");
        ArrayNode tasks = e.putArray("tasks");
        e.putArray("queued_tasks");
        ArrayNode completedTasks = e.putArray("completed_tasks");
        (t.terminal() ? completedTasks : tasks).add(task(t));
        return e;
    }

    private ObjectNode task(AgentTask t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", t.id());
        n.put("name", t.info.getName());
        n.put("framework_id", t.frameworkId);
        n.put("executor_id", "");
        n.put("slave_id", agent.id());
        n.put("state", t.latestState.name());
        n.set("resources", resources(t.info.getResourcesList()));
        n.put("role", "*");
        return n;
    }

    /** The command executor's name as the 1.11 agent builds it (slave.cpp), command cut at 12 characters. */
    static String executorName(TaskInfo task) {
        CommandInfo command = task.getCommand();
        String what;
        if (!command.hasShell() || command.getShell()) {
            if (!command.hasValue()) {
                what = "(Command: NO COMMAND)";
            } else {
                String value = command.getValue();
                what = "(Command: sh -c '" + (value.length() > 15 ? value.substring(0, 12) + "...')" : value + "')");
            }
        } else if (!command.hasValue()) {
            what = "(Command: NO EXECUTABLE)";
        } else {
            String args = command.getValue() + ", " + String.join(", ", command.getArgumentsList());
            what = "(Command: [" + (args.length() > 15 ? args.substring(0, 12) + "...])" : args + "])");
        }
        return "Command Executor (Task: " + task.getTaskId().getValue() + ") " + what;
    }

    private static ObjectNode resources(List<Resource> list) {
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        for (Resource r : list) {
            switch (r.getName()) {
                case "cpus" -> cpus += r.getScalar().getValue();
                case "mem" -> mem += r.getScalar().getValue();
                case "disk" -> disk += r.getScalar().getValue();
                default -> { }
            }
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("disk", num(disk));
        n.put("mem", num(mem));
        n.put("gpus", num(0));
        n.put("cpus", num(cpus));
        return n;
    }

    /** Numbers as Mesos prints them: always a fraction, never exponent notation. */
    private static BigDecimal num(double d) {
        BigDecimal b = BigDecimal.valueOf(d);
        return b.scale() < 1 ? b.setScale(1) : b;
    }
}
