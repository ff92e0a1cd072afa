package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Requests for every endpoint of the API, valid and hostile: job bodies, patches and blacklist bodies built from a
 * valid one by mutations (a field set to a value of the wrong type or range, removed, or joined by an unknown
 * one), random JSON, junk, bad ids in paths, every method, odd headers.
 *
 * <p>Nothing generated can start a task: every job it can create or patch has 0 instances (the values it puts in
 * {@code instances} are 0 or invalid, it never removes the field, and random JSON has no {@code kind}, so it cannot
 * create a job), so the fuzz runs no processes and task states cannot move under it.
 */
final class FuzzRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Jobs the fuzz may create, change and delete. */
    static final List<String> JOB_IDS = List.of("fuzz-a", "fuzz-b", "fuzz-c");

    /** Path segments no id may be; already percent-encoded where they must be to form a URI. */
    private static final List<String> BAD_IDS = List.of("..", "%2e%2e", "a%2Fb", "%00", "x".repeat(300),
            "%E2%98%83", "a:b@c", "%20", "-dash", "a%20b", "%25ZZ", "%F0%9F%92%A5", "a;b", "fuzz-a%0A");

    /** JSON values of every type and many ranges; none is a small positive integer (that could start tasks). */
    private static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "0.5", "1.5", "-0.0",
            "1e999", "-1e999", "1e-400", "10001", "2147483648", "9223372036854775808", "99999999999999999999999",
            "\"\"", "\" \"", "\"sleep 600\"", "\"3\"", "\"SERVICE\"", "\"BATCH\"", "\"TCP\"", "\"UNIQUE\"",
            "\"MAX_PER\"", "\"hostname\"", "\"fuzz-a\"", "\"\\u0000\"", "\"\\ud800\"", "\"\u2603\uD83D\uDCA5 \u00e9\"",
            "\"" + "x".repeat(300) + "\"", "\"([\"", "[]", "[null]", "[\"sleep\",\"600\"]", "[[[]]]", "{}",
            "{\"a\":1}", "{\"A\":\"1\"}", "{\"type\":\"TCP\"}");

    private static final List<String> JOB_FIELDS = List.of("id", "kind", "instances", "command", "argv", "argv[0]",
            "resources", "resources.cpus", "resources.memMb", "resources.diskMb", "resources.ports", "environment",
            "environment.A", "constraints", "constraints[0]", "constraints[0].field", "constraints[0].operator",
            "constraints[0].value", "maxRetries", "killGracePeriodSeconds", "healthCheck", "healthCheck.type",
            "healthCheck.command", "healthCheck.portIndex", "healthCheck.path", "healthCheck.intervalSeconds",
            "healthCheck.consecutiveFailures", "upgradeStrategy", "upgradeStrategy.minimumHealthyCapacity",
            "upgradeStrategy.maximumOverCapacity", "upgradeStrategy.minReadySeconds",
            "upgradeStrategy.maxFailures", "upgradeStrategy.progressDeadlineSeconds");

    private static final List<String> UNKNOWN_FIELDS = List.of("instanses", "Instances", "cpu", "memMB", "valu",
            "portIdx", "schemaVersion", "version", "goal", "commandOrArgv", "\u00e9t\u00e9", "", "$ref", "__proto__");

    private static final List<String> PATHS = List.of("/v1/jobs", "/v1/jobs/{job}", "/v1/jobs/{job}/restart",
            "/v1/jobs/{job}/rollback", "/v1/jobs/{job}/deployments", "/v1/jobs/{job}/deployment", "/v1/tasks",
            "/v1/tasks/{task}", "/v1/tasks/{task}/kill", "/v1/tasks/{task}/logs/stdout",
            "/v1/tasks/{task}/logs/{job}", "/v1/agents", "/v1/agents/{agent}/blacklist", "/v1/leader",
            "/v1/state", "/v1/events", "/v1/openapi.json", "/v1/openapi.yaml", "/leaderhealth", "/", "/v1",
            "/v2/jobs", "/v1/jobs/{job}/nothing", "/v1//jobs", "/v1/jobs/");

    private static final List<String> QUERIES = List.of("", "", "", "?force=true", "?force=maybe",
            "?job=fuzz-a&state=running", "?state=SLEEPY", "?state=%00&job=%25ZZ", "?job=" + "j".repeat(500),
            "?state=TASK_RUNNING&state=killed", "?force", "?offset=-1&length=x", "?follow=maybe&offset=1e3",
            "?offset=99999999999999999999&length=2097152");

    private FuzzRequests() {
    }

    /** Any request, with more of the ones that reach the validation of bodies. */
    static Arbitrary<FuzzRequest> any(List<String> agentIds) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, creates()),
                Tuple.of(3, patches()),
                Tuple.of(1, blacklists(agentIds)),
                Tuple.of(4, anything(agentIds)));
    }

    static Arbitrary<FuzzRequest> creates() {
        return Combinators.combine(jobBodies(), contentTypes(), accepts())
                .as((body, type, accept) -> request("POST", "/v1/jobs", body, type, accept, null));
    }

    static Arbitrary<FuzzRequest> patches() {
        return Combinators.combine(jobIds(), Arbitraries.of("", "?force=true", "?force=nah"), patchBodies(),
                contentTypes(), ifMatches(1)).as((id, query, body, type, ifMatch) ->
                request("PATCH", "/v1/jobs/" + id + query, body, type, null, ifMatch));
    }

    static Arbitrary<FuzzRequest> blacklists(List<String> agentIds) {
        return Combinators.combine(agentIds(agentIds), blacklistBodies(), contentTypes())
                .as((id, body, type) -> request("PUT", "/v1/agents/" + id + "/blacklist", body, type, null, null));
    }

    static Arbitrary<FuzzRequest> anything(List<String> agentIds) {
        Arbitrary<String> methods = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
        Arbitrary<String> paths = Combinators.combine(Arbitraries.of(PATHS), jobIds(), taskIds(), agentIds(agentIds),
                Arbitraries.of(QUERIES)).as((p, job, task, agent, q) -> p.replace("{job}", job)
                .replace("{task}", task).replace("{agent}", agent) + q);
        Arbitrary<String> bodies = Arbitraries.oneOf(jobBodies(), patchBodies(), blacklistBodies(), randomJson(3),
                junk()).injectNull(0.3);
        return Combinators.combine(methods, paths, bodies, contentTypes(), accepts(), ifMatches(6))
                .as((method, path, body, type, accept, ifMatch) -> request(method, path, body, type, accept,
                        ifMatch));
    }

    private static FuzzRequest request(String method, String pathAndQuery, String body, String contentType,
                                       String accept, String ifMatch) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null && body != null) {
            headers.put("Content-Type", contentType);
        }
        if (accept != null) {
            headers.put("Accept", accept);
        }
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        return new FuzzRequest(method, pathAndQuery, Map.copyOf(headers), body);
    }

    // ---- bodies -------------------------------------------------------------------------------------------------

    /** A valid SERVICE job of 0 instances, with some of the optional parts, then up to 3 mutations. */
    static Arbitrary<String> jobBodies() {
        Arbitrary<ObjectNode> base = Combinators.combine(jobIds(), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((id, resources, check, strategy, placed) -> {
                    ObjectNode job = JSON.createObjectNode().put("id", id).put("kind", "SERVICE")
                            .put("command", "sleep 600").put("instances", 0);
                    if (resources) {
                        job.putObject("resources").put("cpus", 0.1).put("memMb", 16);
                    }
                    if (check) {
                        job.putObject("healthCheck").put("type", "COMMAND").put("command", "true");
                    }
                    if (strategy) {
                        job.putObject("upgradeStrategy").put("minReadySeconds", 1);
                    }
                    if (placed) {
                        job.putArray("constraints").addObject().put("field", "hostname").put("operator", "UNIQUE");
                    }
                    return job;
                });
        return mutated(base, JOB_FIELDS);
    }

    /** A valid patch of a 0-instance job, then up to 3 mutations. */
    static Arbitrary<String> patchBodies() {
        Arbitrary<ObjectNode> base = Arbitraries.of("{\"instances\":0}", "{\"command\":\"sleep 600\"}",
                "{\"resources\":{\"cpus\":0.2}}", "{\"upgradeStrategy\":{\"minReadySeconds\":2}}",
                "{\"environment\":{\"A\":\"2\"}}", "{\"argv\":[\"sleep\",\"600\"]}", "{}").map(FuzzRequests::object);
        List<String> fields = JOB_FIELDS.stream().filter(f -> !f.equals("id") && !f.equals("kind")).toList();
        return mutated(base, fields);
    }

    static Arbitrary<String> blacklistBodies() {
        Arbitrary<ObjectNode> base = Arbitraries.of("{\"reason\":\"disk failing\"}", "{}").map(FuzzRequests::object);
        return Arbitraries.oneOf(mutated(base, List.of("reason")), Arbitraries.of("", "null", "\"reason\""));
    }

    private static Arbitrary<String> mutated(Arbitrary<ObjectNode> base, List<String> fields) {
        Arbitrary<Mutation> mutation = Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(Arbitraries.of(fields), Arbitraries.of(VALUES)).as(Mutation::set)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(fields), Arbitraries.of(UNKNOWN_FIELDS))
                        .as(Mutation::unknown)),
                Tuple.of(2, Arbitraries.of(fields).map(Mutation::remove)));
        return Combinators.combine(base, mutation.list().ofMaxSize(3)).as((node, mutations) -> {
            ObjectNode body = node.deepCopy();
            mutations.forEach(m -> m.applyTo(body));
            return body.toString();
        });
    }

    /** Any JSON value up to {@code depth} levels, whose objects never hold a {@code kind} (so never a job). */
    static Arbitrary<String> randomJson(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(Arbitraries.of(VALUES),
                Arbitraries.strings().ofMaxLength(20).map(s -> JSON.getNodeFactory().textNode(s).toString()),
                Arbitraries.integers().map(String::valueOf).filter(n -> !isSmallPositive(n)));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("id", "command", "instances", "resources",
                "cpus", "argv", "reason", "environment", "type", "field"), Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> arrays = randomJson(depth - 1).list().ofMaxSize(4)
                .map(items -> items.stream().collect(Collectors.joining(",", "[", "]")));
        Arbitrary<String> objects = Arbitraries.maps(keys, randomJson(depth - 1)).ofMaxSize(4)
                .map(members -> members.entrySet().stream()
                        .map(e -> JSON.getNodeFactory().textNode(e.getKey()) + ":" + e.getValue())
                        .collect(Collectors.joining(",", "{", "}")));
        return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(1, arrays), Tuple.of(2, objects));
    }

    /** Not JSON, or JSON the reader must refuse for its size or depth. */
    static Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "{", "}", "{\"id\": \"x\", ", "\u00ff\u00fe garbage", "nul",
                        "{\"a\":1}{\"b\":2}", "[".repeat(1500) + "]".repeat(1500), "{\"id\":\"" + "a".repeat(5000)
                                + "\"}", "'single'", "{\"id\":\"x\"\u0000}"),
                Arbitraries.strings().all().ofMaxLength(200));
    }

    // ---- path segments and headers --------------------------------------------------------------------------------

    static Arbitrary<String> jobIds() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(JOB_IDS)), Tuple.of(2, Arbitraries.of(BAD_IDS)),
                Tuple.of(1, encodedStrings()));
    }

    static Arbitrary<String> taskIds() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("fuzz-a.0.1", "keeper", "task-1")),
                Tuple.of(2, Arbitraries.of(BAD_IDS)), Tuple.of(1, encodedStrings()));
    }

    static Arbitrary<String> agentIds(List<String> real) {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(real)), Tuple.of(1, Arbitraries.of("agent-x")),
                Tuple.of(2, Arbitraries.of(BAD_IDS)), Tuple.of(1, encodedStrings()));
    }

    /** Any string as one path segment. */
    private static Arbitrary<String> encodedStrings() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of("text/plain", "application/json; charset=latin1", "x/y;;",
                        "application/x-www-form-urlencoded")));
    }

    static Arbitrary<String> accepts() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("application/json", "text/html", "*/*", "application/xml", ";;",
                        "text/event-stream")));
    }

    /** No If-Match {@code absentWeight} times as often as one of the values it may take. */
    static Arbitrary<String> ifMatches(int absentWeight) {
        return Arbitraries.frequencyOf(Tuple.of(absentWeight, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("*", "\"1\"", "2", "abc", "W/\"1\"", "\"99999999999999999999\"", "\"1",
                        "\"1\", \"2\"")));
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** A change to a body: set a field to a raw JSON value, remove it, or add an unknown field beside it. */
    private record Mutation(String field, String rawValue, String unknownName, boolean remove) {
        static Mutation set(String field, String rawValue) {
            return new Mutation(field, rawValue, null, false);
        }

        static Mutation unknown(String besideField, String name) {
            return new Mutation(besideField, null, name, false);
        }

        static Mutation remove(String field) {
            return new Mutation(field, null, null, true);
        }

        void applyTo(ObjectNode body) {
            if (remove && field.equals("instances")) {
                return; // without it a SERVICE runs one instance: the fuzz must start nothing
            }
            String[] parts = field.split("\\.");
            JsonNode parent = body;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = child(parent, parts[i]);
                if (parent == null) {
                    return;
                }
            }
            String last = parts[parts.length - 1];
            if (unknownName != null) {
                if (parent instanceof ObjectNode o) {
                    o.put(unknownName, 1);
                }
                return;
            }
            int index = last.indexOf('[');
            if (index < 0) {
                if (parent instanceof ObjectNode o) {
                    if (remove) {
                        o.remove(last);
                    } else if (!(last.equals("instances") && isSmallPositive(rawValue))) {
                        o.putRawValue(last, new RawValue(rawValue));
                    }
                }
                return;
            }
            JsonNode array = child(parent, last.substring(0, index));
            if (array instanceof ArrayNode a) {
                if (remove) {
                    a.removeAll();
                } else {
                    a.insert(0, a.rawValueNode(new RawValue(rawValue)));
                }
            }
        }

        /** The object or array at {@code name} (or {@code name[0]}), created when absent; null when not a container. */
        private static JsonNode child(JsonNode parent, String name) {
            int index = name.indexOf('[');
            String key = index < 0 ? name : name.substring(0, index);
            if (!(parent instanceof ObjectNode o)) {
                return null;
            }
            JsonNode c = o.get(key);
            if (c == null) {
                c = index < 0 ? o.putObject(key) : o.putArray(key);
            }
            if (index >= 0) {
                if (!(c instanceof ArrayNode a)) {
                    return null;
                }
                if (a.isEmpty()) {
                    a.addObject();
                }
                return a.get(0);
            }
            return c;
        }

    }

    /** Whether {@code raw} could be a valid instance count above 0 (up to the API's 10,000, with margin). */
    private static boolean isSmallPositive(String raw) {
        return raw.matches("[1-9][0-9]{0,4}");
    }
}
