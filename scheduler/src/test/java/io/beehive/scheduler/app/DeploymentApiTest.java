package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.beehive.scheduler.app.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health check and deployment API over HTTP on one replica with the local cluster: what is validated (422 naming
 * each field), what conflicts (409), the deployment's life seen through {@code /v1/jobs/{id}/deployments} and the
 * {@code deployment} events.
 */
class DeploymentApiTest {
    @RegisterExtension
    static final SingleReplicaApp APP = SingleReplicaApp.active();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static List<String> errors(HttpResponse<String> r) {
        List<String> out = new ArrayList<>();
        json(r).path("errors").forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    void badHealthChecksAndStrategiesAreRefusedNamingEachField() {
        HttpResponse<String> r = Http.post(APP.api("/v1/jobs"), """
                {"id":"bad","kind":"SERVICE","command":"sleep 1","resources":{"ports":1},
                 "healthCheck":{"type":"HTTP","portIndex":1,"intervalSeconds":0,"consecutiveFailures":0},
                 "upgradeStrategy":{"minimumHealthyCapacity":1.5}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(String.join("\n", errors(r))).contains("healthCheck.intervalSeconds")
                .contains("healthCheck.consecutiveFailures").contains("upgradeStrategy.minimumHealthyCapacity");

        HttpResponse<String> noProgress = Http.post(APP.api("/v1/jobs"), """
                {"id":"bad","kind":"SERVICE","command":"sleep 1",
                 "upgradeStrategy":{"minimumHealthyCapacity":1.0,"maximumOverCapacity":0}}""");
        assertThat(noProgress.statusCode()).as(noProgress.body()).isEqualTo(422);
        assertThat(noProgress.body()).contains("can never replace an instance");

        HttpResponse<String> noPort = Http.post(APP.api("/v1/jobs"), """
                {"id":"bad","kind":"SERVICE","command":"sleep 1","healthCheck":{"type":"TCP"}}""");
        assertThat(noPort.statusCode()).as(noPort.body()).isEqualTo(422);
        assertThat(noPort.body()).contains("healthCheck.portIndex 0 names no port");

        HttpResponse<String> commandWithPath = Http.post(APP.api("/v1/jobs"), """
                {"id":"bad","kind":"SERVICE","command":"sleep 1","healthCheck":{"type":"COMMAND","command":"true",
                 "path":"/x"}}""");
        assertThat(commandWithPath.statusCode()).as(commandWithPath.body()).isEqualTo(422);
        assertThat(Http.get(APP.api("/v1/jobs/bad")).statusCode()).isEqualTo(404);
    }

    @Test
    void aDeploymentIsStartedWatchedRefusedTwiceCancelledAndRolledBack() {
        String create = """
                {"id":"svc","kind":"SERVICE","command":"sleep 600","instances":2,"resources":{"cpus":0.1,"memMb":16},
                 "upgradeStrategy":{"minimumHealthyCapacity":1.0,"maximumOverCapacity":0.5,"minReadySeconds":1}}""";
        assertThat(Http.post(APP.api("/v1/jobs"), create).statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> json(Http.get(APP.api("/v1/jobs/svc"))).path("taskCounts").path("ready")
                .asInt() == 2);
        assertThat(Http.post(APP.api("/v1/jobs/svc/rollback"), null).statusCode()).as("no previous version")
                .isEqualTo(409);
        assertThat(Http.send("DELETE", APP.api("/v1/jobs/svc/deployment"), null).statusCode()).as("none to cancel")
                .isEqualTo(409);

        try (EventStream events = new EventStream(APP.api("/v1/events"))) {
            // Every stream starts with a leader event: once it is there, the stream is subscribed.
            await().atMost(WAIT).until(() -> !events.events("leader").isEmpty());
            HttpResponse<String> v2 = Http.send("PATCH", APP.api("/v1/jobs/svc"), "{\"command\":\"sleep 601\"}");
            assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
            String firstDeployment = json(v2).path("deployment").path("id").asText();
            assertThat(json(v2).path("deployment").path("kind").asText()).isEqualTo("UPDATE");

            await().atMost(WAIT).until(() -> json(Http.get(APP.api("/v1/jobs/svc/deployments"))).path("history")
                    .path(0).path("result").asText().equals("SUCCEEDED"));
            await().atMost(WAIT).until(() -> events.events("deployment").stream()
                    .anyMatch(e -> e.path("state").asText().equals("succeeded")));
            assertThat(events.events("deployment")).extracting(e -> e.path("state").asText())
                    .startsWith("started").contains("step").endsWith("succeeded");
            assertThat(events.events("deployment")).allMatch(e -> e.path("deploymentId").asText()
                    .equals(firstDeployment) && e.path("jobId").asText().equals("svc"));

            JsonNode counters = json(Http.get(APP.admin("/metrics")))
                    .path("counters");
            assertThat(counters.path("beehive.deployments.started").path("count").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(counters.path("beehive.deployments.succeeded").path("count").asLong())
                    .isGreaterThanOrEqualTo(1);

            // The same PATCH again changes nothing: answered as the first was, no new deployment.
            HttpResponse<String> again = Http.send("PATCH", APP.api("/v1/jobs/svc"), "{\"command\":\"sleep 601\"}");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json(again).has("deployment")).isFalse();
        }

        HttpResponse<String> v3 = Http.send("PATCH", APP.api("/v1/jobs/svc"),
                "{\"command\":\"sleep 602\",\"upgradeStrategy\":{\"minReadySeconds\":3600}}");
        assertThat(v3.statusCode()).as(v3.body()).isEqualTo(200);
        HttpResponse<String> refused = Http.send("PATCH", APP.api("/v1/jobs/svc"), "{\"command\":\"sleep 603\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("force=true");
        assertThat(Http.post(APP.api("/v1/jobs/svc/restart"), null).statusCode()).isEqualTo(409);

        JsonNode watching = json(Http.get(APP.api("/v1/jobs/svc/deployments")));
        assertThat(watching.path("current").path("deployment").path("kind").asText()).isEqualTo("UPDATE");
        assertThat(watching.path("current").path("progress").path("floor").asInt()).isEqualTo(2);
        assertThat(watching.path("current").path("progress").path("ceiling").asInt()).isEqualTo(3);
        assertThat(json(Http.get(APP.api("/v1/jobs/svc"))).path("deploymentProgress").path("instances").asInt())
                .isEqualTo(2);

        HttpResponse<String> forced = Http.send("PATCH", APP.api("/v1/jobs/svc?force=true"), "{\"command\":\"sleep 603\"}");
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(json(forced).path("deploymentHistory").path(0).path("result").asText()).isEqualTo("REPLACED");

        HttpResponse<String> cancelled = Http.send("DELETE", APP.api("/v1/jobs/svc/deployment"), null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(json(cancelled).has("deployment")).isFalse();
        assertThat(json(cancelled).path("deploymentHistory").path(0).path("result").asText()).isEqualTo("CANCELLED");

        HttpResponse<String> back = Http.post(APP.api("/v1/jobs/svc/rollback"), null);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
        assertThat(json(back).path("deployment").path("kind").asText()).isEqualTo("ROLLBACK");
        assertThat(json(back).path("command").path("value").asText()).isEqualTo("sleep 602");

        assertThat(Http.send("DELETE", APP.api("/v1/jobs/svc"), null).statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> Http.get(APP.api("/v1/jobs/svc")).statusCode() == 404);
    }
}
