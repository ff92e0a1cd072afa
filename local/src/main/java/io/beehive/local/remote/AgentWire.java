package io.beehive.local.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.beehive.local.AgentSpec;
import io.beehive.local.agent.LocalAgent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The JSON of the internal agent-master protocol between processes (ours; real Mesos sends libprocess messages,
 * which this does not imitate). Protobufs travel as base64 of their binary form, so nothing is lost in a
 * conversion. Decoding a malformed body throws {@link BadMessage}, which the endpoints answer with 400.
 */
final class AgentWire {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A body that is not a message of this protocol; the text says what is wrong. */
    static final class BadMessage extends RuntimeException {
        BadMessage(String message) {
            super(message);
        }
    }

    private AgentWire() {}

    // ---- agent -> master ------------------------------------------------------------------------------------

    /** An agent (re-)registering: who it is, what it offers, and its tasks. */
    record Registration(String agentId, AgentSpec spec, int port, List<LocalAgent.TaskReport> tasks) {}

    static byte[] registration(String agentId, AgentSpec spec, int port, List<LocalAgent.TaskReport> tasks) {
        ObjectNode n = agentInfo(agentId, spec, port);
        ArrayNode list = n.putArray("tasks");
        for (LocalAgent.TaskReport t : tasks) {
            ObjectNode o = list.addObject();
            o.put("framework_id", t.frameworkId());
            o.put("framework_info", base64(t.frameworkInfo()));
            o.put("task", base64(t.task()));
            o.put("state", t.state().name());
            if (t.latestStatus() != null) {
                o.put("latest_status", base64(t.latestStatus()));
            }
        }
        return bytes(n);
    }

    static Registration parseRegistration(byte[] body) {
        JsonNode n = parse(body);
        List<LocalAgent.TaskReport> tasks = new ArrayList<>();
        for (JsonNode t : array(n, "tasks")) {
            tasks.add(new LocalAgent.TaskReport(text(t, "framework_id"),
                proto(t, "framework_info", FrameworkInfo.parser()), proto(t, "task", TaskInfo.parser()),
                state(t, "state"), t.has("latest_status") ? proto(t, "latest_status", TaskStatus.parser()) : null));
        }
        return new Registration(text(n, "agent_id"), spec(n), port(n), tasks);
    }

    /** An admitted agent as the registry keeps it (no tasks). */
    static ObjectNode agentInfo(String agentId, AgentSpec spec, int port) {
        ObjectNode n = JSON.createObjectNode();
        n.put("agent_id", agentId);
        n.put("hostname", spec.hostname());
        n.put("port", port);
        n.put("cpus", spec.cpus());
        n.put("mem", spec.mem());
        n.put("disk", spec.disk());
        ArrayNode ports = n.putArray("ports");
        spec.ports().forEach(r -> ports.addArray().add(r[0]).add(r[1]));
        ObjectNode attributes = n.putObject("attributes");
        spec.attributes().forEach(attributes::put);
        return n;
    }

    static AgentSpec spec(JsonNode n) {
        List<long[]> ports = new ArrayList<>();
        for (JsonNode r : array(n, "ports")) {
            if (!r.isArray() || r.size() != 2 || !r.get(0).canConvertToLong() || !r.get(1).canConvertToLong()) {
                throw new BadMessage("'ports' must hold [begin, end] pairs of numbers");
            }
            ports.add(new long[] {r.get(0).asLong(), r.get(1).asLong()});
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        n.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        try {
            return new AgentSpec(text(n, "hostname"), number(n, "cpus"), number(n, "mem"), number(n, "disk"), ports,
                attributes);
        } catch (IllegalArgumentException e) {
            throw new BadMessage(e.getMessage());
        }
    }

    static int port(JsonNode n) {
        JsonNode p = n.get("port");
        if (p == null || !p.canConvertToInt() || p.asInt() <= 0 || p.asInt() > 65535) {
            throw new BadMessage("'port' must be a port number");
        }
        return p.asInt();
    }

    record StatusUpdate(String agentId, String frameworkId, TaskStatus status, TaskState latestState) {}

    static byte[] statusUpdate(String agentId, String frameworkId, TaskStatus status, TaskState latestState) {
        ObjectNode n = JSON.createObjectNode();
        n.put("agent_id", agentId);
        n.put("framework_id", frameworkId);
        n.put("status", base64(status));
        n.put("latest_state", latestState.name());
        return bytes(n);
    }

    static StatusUpdate parseStatusUpdate(byte[] body) {
        JsonNode n = parse(body);
        return new StatusUpdate(text(n, "agent_id"), text(n, "framework_id"), proto(n, "status", TaskStatus.parser()),
            state(n, "latest_state"));
    }

    record LatestState(String agentId, String frameworkId, String taskId, TaskState latestState) {}

    static byte[] latestState(String agentId, String frameworkId, String taskId, TaskState latestState) {
        ObjectNode n = JSON.createObjectNode();
        n.put("agent_id", agentId);
        n.put("framework_id", frameworkId);
        n.put("task_id", taskId);
        n.put("latest_state", latestState.name());
        return bytes(n);
    }

    static LatestState parseLatestState(byte[] body) {
        JsonNode n = parse(body);
        return new LatestState(text(n, "agent_id"), text(n, "framework_id"), text(n, "task_id"),
            state(n, "latest_state"));
    }

    static byte[] ping(String agentId) {
        return bytes(JSON.createObjectNode().put("agent_id", agentId));
    }

    static String parsePing(byte[] body) {
        return text(parse(body), "agent_id");
    }

    // ---- master -> agent ------------------------------------------------------------------------------------

    /** What a master tells an agent; the fields each type uses are those of the {@link io.beehive.local.agent.AgentLink} method. */
    enum MessageType { RUN_TASK, KILL_TASK, ACKNOWLEDGE, FRAMEWORK_UPDATED, SHUTDOWN_FRAMEWORK, DESTROY_ALL }

    record AgentMessage(MessageType type, String frameworkId, FrameworkInfo frameworkInfo, TaskInfo task,
                        String taskId, Long graceMillis, ByteString uuid) {}

    static byte[] message(AgentMessage m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", m.type().name());
        if (m.frameworkId() != null) {
            n.put("framework_id", m.frameworkId());
        }
        if (m.frameworkInfo() != null) {
            n.put("framework_info", base64(m.frameworkInfo()));
        }
        if (m.task() != null) {
            n.put("task", base64(m.task()));
        }
        if (m.taskId() != null) {
            n.put("task_id", m.taskId());
        }
        if (m.graceMillis() != null) {
            n.put("grace_millis", m.graceMillis());
        }
        if (m.uuid() != null) {
            n.put("uuid", Base64.getEncoder().encodeToString(m.uuid().toByteArray()));
        }
        return bytes(n);
    }

    static AgentMessage parseMessage(byte[] body) {
        JsonNode n = parse(body);
        MessageType type;
        try {
            type = MessageType.valueOf(text(n, "type"));
        } catch (IllegalArgumentException e) {
            throw new BadMessage("unknown message type '" + n.path("type").asText() + "'");
        }
        String fw = type == MessageType.DESTROY_ALL ? null : text(n, "framework_id");
        return switch (type) {
            case RUN_TASK -> new AgentMessage(type, fw, proto(n, "framework_info", FrameworkInfo.parser()),
                proto(n, "task", TaskInfo.parser()), null, null, null);
            case KILL_TASK -> new AgentMessage(type, fw, null, null, text(n, "task_id"),
                n.hasNonNull("grace_millis") ? n.get("grace_millis").asLong() : null, null);
            case ACKNOWLEDGE -> new AgentMessage(type, fw, null, null, text(n, "task_id"), null,
                ByteString.copyFrom(decode(n, "uuid")));
            case FRAMEWORK_UPDATED -> new AgentMessage(type, fw, proto(n, "framework_info", FrameworkInfo.parser()),
                null, null, null, null);
            case SHUTDOWN_FRAMEWORK, DESTROY_ALL -> new AgentMessage(type, fw, null, null, null, null, null);
        };
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new BadMessage("the body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadMessage("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadMessage("the body is not JSON: " + e.getMessage());
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(Message m) {
        return Base64.getEncoder().encodeToString(m.toByteArray());
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadMessage("'" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 0) {
            throw new BadMessage("'" + field + "' must be a number >= 0");
        }
        return v.asDouble();
    }

    private static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new BadMessage("'" + field + "' must be an array");
        }
        return v;
    }

    private static TaskState state(JsonNode n, String field) {
        String name = text(n, field);
        try {
            return TaskState.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new BadMessage("'" + field + "' is not a task state: " + name);
        }
    }

    private static byte[] decode(JsonNode n, String field) {
        try {
            return Base64.getDecoder().decode(text(n, field));
        } catch (IllegalArgumentException e) {
            throw new BadMessage("'" + field + "' is not base64: " + e.getMessage());
        }
    }

    private static <T extends Message> T proto(JsonNode n, String field, Parser<T> parser) {
        try {
            return parser.parseFrom(decode(n, field));
        } catch (InvalidProtocolBufferException e) {
            throw new BadMessage("'" + field + "' is not a valid protobuf: " + e.getMessage());
        }
    }
}
