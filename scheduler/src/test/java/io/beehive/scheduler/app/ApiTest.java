package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of one replica (the leader) against a real ZooKeeper and a local Mesos cluster running real
 * processes: the success paths and every error status a client can provoke.
 */
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final SingleReplicaApp APP = SingleReplicaApp.active(ConfigOverride.config("api.maxEventSubscribers", "2"));

    static JsonNode json(HttpResponse<String> r) {
        return Http.json(r);
    }

    static String service(String id, String command, int instances) {
        return "{\"id\":\"" + id + "\",\"kind\":\"SERVICE\",\"command\":\"" + command + "\",\"instances\":"
                + instances + ",\"resources\":{\"cpus\":0.1,\"memMb\":16}}";
    }

    @Test
    void helloWorldJobRunsAndItsOutputIsInTheSandbox() throws Exception {
        HttpResponse<String> created = Http.post(APP.api("/v1/jobs"),
                service("hello", "echo hello-from-beehive; sleep 600", 1));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(
                "/v1/jobs/hello"));
        assertThat(json(created).path("instances").asInt()).isEqualTo(1);

        JsonNode task = await().atMost(Duration.ofSeconds(30)).until(
                () -> json(Http.get(APP.api("/v1/tasks?job=hello&state=running"))),
                tasks -> tasks.size() == 1).get(0);
        String frameworkId = json(Http.get(APP.api("/v1/state"))).path("frameworkId").asText();
        Path stdout = APP.fixture().cluster.sandbox(frameworkId, task.path("taskId").asText()).resolve("stdout");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(stdout)
                && Files.readString(stdout).contains("hello-from-beehive"));

        HttpResponse<String> one = Http.get(APP.api("/v1/tasks/" + task.path("taskId").asText()));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).path("state").asText()).isEqualTo("TASK_RUNNING");
        assertThat(one.headers().firstValue("X-Beehive-Served-By")).hasValue("leader");
        assertThat(json(Http.get(APP.api("/v1/jobs"))).findValuesAsText("id")).contains("hello");
        assertThat(json(Http.get(APP.api("/v1/jobs/hello"))).path("kind").asText()).isEqualTo("SERVICE");
    }

    @Test
    void scaleRestartKillAndDeleteAJob() {
        String web = service("web", "sleep 600", 1).replace("}}", "},\"upgradeStrategy\":{\"minReadySeconds\":1}}");
        assertThat(Http.post(APP.api("/v1/jobs"), web).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> runningTasks("web").size() == 1);

        HttpResponse<String> scaled = Http.send("PATCH", APP.api("/v1/jobs/web"), "{\"instances\":2}");
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        assertThat(json(scaled).path("instances").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> runningTasks("web").size() == 2);

        String victim = runningTasks("web").get(0).path("taskId").asText();
        HttpResponse<String> killed = Http.post(APP.api("/v1/tasks/" + victim + "/kill"), null);
        assertThat(killed.statusCode()).as(killed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> json(Http.get(APP.api("/v1/tasks/" + victim)))
                .path("state").asText().equals("TASK_KILLED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> runningTasks("web").size() == 2
                && runningTasks("web").stream().noneMatch(t -> t.path("taskId").asText().equals(victim)));

        java.util.List<String> before = runningTasks("web").stream().map(t -> t.path("taskId").asText()).toList();
        HttpResponse<String> restarted = Http.post(APP.api("/v1/jobs/web/restart"), null);
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(202);
        assertThat(json(restarted).path("deployment").path("kind").asText()).isEqualTo("RESTART");
        await().atMost(Duration.ofSeconds(45)).until(() -> runningTasks("web").size() == 2
                && runningTasks("web").stream().noneMatch(t -> before.contains(t.path("taskId").asText()))
                && json(Http.get(APP.api("/v1/jobs/web"))).path("deployment").isMissingNode());

        // A command change makes a new version of the job and replaces every task.
        java.util.List<String> beforeUpdate = runningTasks("web").stream().map(t -> t.path("taskId").asText())
                .toList();
        HttpResponse<String> updated = Http.send("PATCH", APP.api("/v1/jobs/web"), "{\"command\":\"sleep 700\"}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("command").path("value").asText()).isEqualTo("sleep 700");
        assertThat(json(updated).path("version").asLong()).isGreaterThan(json(scaled).path("version").asLong());
        await().atMost(Duration.ofSeconds(45)).until(() -> runningTasks("web").size() == 2
                && runningTasks("web").stream().noneMatch(t -> beforeUpdate.contains(t.path("taskId").asText())));

        HttpResponse<String> deleted = Http.send("DELETE", APP.api("/v1/jobs/web"), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> runningTasks("web").isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(APP.api("/v1/jobs/web")).statusCode() == 404);
    }

    private static java.util.List<JsonNode> runningTasks(String job) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        json(Http.get(APP.api("/v1/tasks?job=" + job + "&state=TASK_RUNNING"))).forEach(out::add);
        return out;
    }

    @Test
    void errorStatuses() {
        // 400: not JSON at all
        HttpResponse<String> malformed = Http.post(APP.api("/v1/jobs"), "{\"id\": \"x\", ");
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);

        // 422: every invalid field named, with why
        HttpResponse<String> invalid = Http.post(APP.api("/v1/jobs"),
                "{\"id\":\"bad id!\",\"kind\":\"SOMETIMES\",\"instances\":-1,\"resources\":{\"cpus\":0}}");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(422);
        assertThat(invalid.body()).contains("id must be").contains("kind must be one of").contains("instances")
                .contains("resources.cpus").contains("exactly one of command");

        // 422 from a rule the record checks (constraint value)
        HttpResponse<String> badConstraint = Http.post(APP.api("/v1/jobs"), "{\"id\":\"c1\",\"kind\":\"SERVICE\","
                + "\"command\":\"true\",\"constraints\":[{\"field\":\"hostname\",\"operator\":\"MAX_PER\","
                + "\"value\":\"zero\"}]}");
        assertThat(badConstraint.statusCode()).as(badConstraint.body()).isEqualTo(422);
        assertThat(badConstraint.body()).contains("constraints[0]").contains("MAX_PER");

        // 404 unknown job / task
        assertThat(Http.get(APP.api("/v1/jobs/nope")).statusCode()).isEqualTo(404);
        assertThat(Http.send("PATCH", APP.api("/v1/jobs/nope"), "{\"instances\":1}").statusCode()).isEqualTo(404);
        assertThat(Http.send("DELETE", APP.api("/v1/jobs/nope"), null).statusCode()).isEqualTo(404);
        assertThat(Http.post(APP.api("/v1/jobs/nope/restart"), null).statusCode()).isEqualTo(404);
        assertThat(Http.get(APP.api("/v1/tasks/nope")).statusCode()).isEqualTo(404);
        assertThat(Http.post(APP.api("/v1/tasks/nope/kill"), null).statusCode()).isEqualTo(404);

        // 409 duplicate id (another definition: the same one again is a retried create, answered 200)
        assertThat(Http.post(APP.api("/v1/jobs"), service("dup", "sleep 600", 0)).statusCode()).isEqualTo(201);
        HttpResponse<String> duplicate = Http.post(APP.api("/v1/jobs"), service("dup", "sleep 601", 0));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(json(duplicate).path("message").asText()).contains("dup").contains("already exists");

        // 413 body over api.maxRequestBodySize (4 KiB in test.yml), with and without Content-Length
        String big = service("big", "echo " + "x".repeat(5000), 1);
        assertThat(Http.post(APP.api("/v1/jobs"), big).statusCode()).isEqualTo(413);
        HttpResponse<String> chunked = ChunkedPost.send(APP.api("/v1/jobs"), big);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);

        // 422 for a bad query parameter, an empty patch, or two command forms at once
        assertThat(Http.get(APP.api("/v1/tasks?state=SLEEPY")).statusCode()).isEqualTo(422);
        assertThat(Http.send("PATCH", APP.api("/v1/jobs/dup"), "{}").statusCode()).isEqualTo(422);
        assertThat(Http.send("PATCH", APP.api("/v1/jobs/dup"), "{\"command\":\"true\",\"argv\":[\"true\"]}")
                .statusCode()).isEqualTo(422);
    }

    @Test
    void agentsBlacklistAndUnblacklist() {
        String agent = APP.fixture().cluster.agentIds().get(1);
        HttpResponse<String> put = Http.send("PUT", APP.api("/v1/agents/" + agent + "/blacklist"),
                "{\"reason\":\"disk failing\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode listed = json(Http.get(APP.api("/v1/agents")));
        assertThat(listed.findValuesAsText("agentId")).contains(agent);
        JsonNode entry = null;
        for (JsonNode a : listed) {
            if (a.path("agentId").asText().equals(agent)) {
                entry = a;
            }
        }
        assertThat(entry.path("blacklisted").asBoolean()).isTrue();
        assertThat(entry.path("blacklistReason").asText()).isEqualTo("disk failing");

        assertThat(Http.send("DELETE", APP.api("/v1/agents/" + agent + "/blacklist"), null).statusCode()).isEqualTo(204);
        assertThat(Http.send("DELETE", APP.api("/v1/agents/" + agent + "/blacklist"), null).statusCode()).isEqualTo(404);
        assertThat(Http.send("PUT", APP.api("/v1/agents/bad%20agent/blacklist"), "{}").statusCode()).isEqualTo(422);
    }

    @Test
    void leaderStateAndOpenApi() {
        JsonNode leader = json(Http.get(APP.api("/v1/leader")));
        assertThat(leader.path("selfIsLeader").asBoolean()).isTrue();
        assertThat(leader.path("leader").asText()).isEqualTo("127.0.0.1:" + APP.apiPort());
        assertThat(leader.path("since").asText()).isNotEmpty();

        JsonNode state = json(Http.get(APP.api("/v1/state")));
        assertThat(state.path("role").asText()).isEqualTo("leader");
        assertThat(state.path("frameworkId").asText()).isNotEmpty();
        assertThat(state.path("lastReconciliation").asText()).isNotEmpty();
        assertThat(state.has("taskCounts")).isTrue();

        JsonNode openapi = json(Http.get(APP.api("/v1/openapi.json")));
        assertThat(openapi.path("openapi").asText()).startsWith("3.");
        assertThat(openapi.path("paths").has("/v1/jobs")).isTrue();
        assertThat(openapi.path("paths").has("/leaderhealth")).isTrue();
        for (String path : new String[] {"/v1/jobs/{id}/deployments", "/v1/jobs/{id}/rollback",
                "/v1/jobs/{id}/deployment"}) {
            assertThat(openapi.path("paths").has(path)).as(path).isTrue();
        }
        assertThat(Http.get(APP.api("/v1/openapi.yaml")).body()).startsWith("openapi:");
    }

    @Test
    void adminStateViewHealthChecksPrometheusAndTasks() {
        JsonNode view = json(Http.get(APP.admin("/beehive")));
        assertThat(view.path("role").asText()).isEqualTo("leader");
        assertThat(view.path("frameworkId").asText()).isNotEmpty();
        assertThat(view.path("leader").asText()).isEqualTo("127.0.0.1:" + APP.apiPort());

        HttpResponse<String> health = Http.get(APP.admin("/healthcheck"));
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode checks = json(health);
        assertThat(checks.path("zookeeper").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("mesos-subscription").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("state-loaded").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("quarantine").path("healthy").asBoolean()).isTrue();

        HttpResponse<String> prometheus = Http.get(APP.admin("/prometheus"));
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("beehive_offers_received").contains("# TYPE");
        // What the issue asks an operator can see: offers, launches, updates, acknowledgements, reconciliation,
        // fail-over time, ZooKeeper latencies, and the event stream's subscribers.
        assertThat(prometheus.body()).contains("beehive_offers_declined", "beehive_tasks_launched",
                "beehive_updates_received", "beehive_updates_acknowledged", "beehive_reconciliation",
                "beehive_failover", "beehive_zookeeper_get_data", "beehive_events_subscribers");

        HttpResponse<String> reconcile = Http.post(APP.admin("/tasks/reconcile"), null);
        assertThat(reconcile.statusCode()).isEqualTo(200);
        assertThat(reconcile.body()).contains("Last reconciliation");
    }

    @Test
    void zooKeeperLatenciesOnMetricsAndPrometheus() {
        // A job write is one fenced ZooKeeper transaction (multi); a follower-style read is get_data.
        assertThat(Http.post(APP.api("/v1/jobs"), service("timed", "sleep 600", 0)).statusCode()).isEqualTo(201);

        JsonNode timers = json(Http.get(APP.admin("/metrics"))).path("timers");
        assertThat(timers.path("beehive.zookeeper.multi").path("count").asLong()).isGreaterThan(0);
        assertThat(timers.path("beehive.zookeeper.get_data").path("count").asLong()).isGreaterThan(0);

        String prometheus = Http.get(APP.admin("/prometheus")).body();
        assertThat(prometheus).containsPattern("(?m)^beehive_zookeeper_multi_count [1-9]")
                .containsPattern("(?m)^beehive_zookeeper_multi\\{quantile=\"0.99\"\\} ")
                .containsPattern("(?m)^beehive_zookeeper_get_data_count [1-9]");
    }

    @Test
    void eventStreamsBeyondTheLimitAre503AndASlotFreesWhenAClientLeaves() {
        try (EventStream first = new EventStream(APP.api("/v1/events"))) {
            await().atMost(Duration.ofSeconds(30)).until(first::open);
            try (EventStream second = new EventStream(APP.api("/v1/events"))) {
                await().atMost(Duration.ofSeconds(30)).until(second::open);
                assertThat(second.status()).isEqualTo(200);
                EventStream third = new EventStream(APP.api("/v1/events"));
                await().atMost(Duration.ofSeconds(30)).until(() -> third.status() != 0);
                assertThat(third.status()).isEqualTo(503);
                await().atMost(Duration.ofSeconds(30)).until(() -> !third.lines.isEmpty());
                assertThat(third.lines).anySatisfy(l -> assertThat(l).contains("maxEventSubscribers"));
                third.close();
            }
            // The second client went away: its sender notices when it next writes (an event or the heartbeat) and a
            // new stream is accepted again. A launched task makes events for every stream.
            assertThat(Http.post(APP.api("/v1/jobs"), service("wake-streams", "sleep 600", 1)).statusCode())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.streamStatus(APP.api("/v1/events")) == 200);
        }
    }

    /** Nothing a client sends may produce a 5xx. */
    @Test
    void garbageToEveryEndpointIsNeverAServerError() {
        String[][] endpoints = {
                {"GET", "/v1/jobs"}, {"POST", "/v1/jobs"}, {"GET", "/v1/jobs/garbage"}, {"PATCH", "/v1/jobs/garbage"},
                {"DELETE", "/v1/jobs/garbage"}, {"POST", "/v1/jobs/garbage/restart"}, {"GET", "/v1/tasks"},
                {"GET", "/v1/tasks/garbage"}, {"POST", "/v1/tasks/garbage/kill"}, {"GET", "/v1/agents"},
                {"PUT", "/v1/agents/garbage/blacklist"}, {"DELETE", "/v1/agents/never-listed/blacklist"},
                {"GET", "/v1/leader"}, {"GET", "/v1/state"}, {"GET", "/v1/openapi.json"}, {"GET", "/leaderhealth"},
                {"PUT", "/v1/jobs"}, {"POST", "/v1/state"}, {"DELETE", "/v1/tasks"}};
        String nested = "[".repeat(5000) + "]".repeat(5000);
        String[] bodies = {"", "null", "[]", "{", "}", "\"\\u0000\"", "{\"id\":123,\"kind\":[]}", "{\"instances\":1e999}",
                "{\"instances\":\"many\"}", "{\"id\":\"a\",\"kind\":\"SERVICE\",\"command\":\"x\",\"unknown\":1}",
                "{\"reason\":{}}", nested, "\u00ff\u00fe garbage", "{\"id\":\"" + "a".repeat(300) + "\"}",
                "{\"id\":\"ok\",\"kind\":\"SERVICE\",\"argv\":[null]}",
                "{\"id\":\"ok\",\"kind\":\"SERVICE\",\"command\":\"x\",\"environment\":{\"1bad\":null}}",
                "{\"id\":\"ok\",\"kind\":\"SERVICE\",\"command\":\"x\",\"constraints\":[null,{\"field\":\"h\","
                        + "\"operator\":\"LIKE\",\"value\":\"([\"}]}"};
        String[] contentTypes = {"application/json", "text/plain", "application/x-www-form-urlencoded"};
        for (String[] e : endpoints) {
            for (String body : bodies) {
                for (String type : contentTypes) {
                    HttpResponse<String> r;
                    try {
                        r = Http.send(e[0], APP.api(e[1] + "?state=%00&job=%25ZZ"),
                                e[0].equals("GET") || e[0].equals("DELETE") ? null : body, "Content-Type", type);
                    } catch (RuntimeException ex) {
                        throw new AssertionError(e[0] + " " + e[1] + " <- " + type + " " + body.length() + " bytes: "
                                + body.substring(0, Math.min(60, body.length())), ex);
                    }
                    assertThat(r.statusCode()).as(e[0] + " " + e[1] + " <- " + type + " "
                            + body.substring(0, Math.min(60, body.length())) + " : " + r.body()).isLessThan(500);
                }
            }
        }
        for (String id : new String[]{"..", "%2e%2e", "a%2Fb", "%00", "x".repeat(5000), "%E2%98%83", "a:b@c"}) {
            for (String path : new String[]{"/v1/jobs/", "/v1/tasks/"}) {
                HttpResponse<String> r = Http.get(APP.api(path + id));
                assertThat(r.statusCode()).as(path + id + " : " + r.body()).isLessThan(500);
            }
        }
    }
}
