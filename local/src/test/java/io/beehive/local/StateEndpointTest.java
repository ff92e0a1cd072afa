package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator endpoints: /state lists agents and frameworks with their tasks, numbers printed as Mesos does. */
class StateEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stateShowsFrameworksWithTheirTasksAndCompletedFrameworks() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(2)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).build());
             RawScheduler scheduler = new RawScheduler(cluster.leaderUri())) {
            scheduler.subscribe("{\"user\":\"root\",\"name\":\"observed\",\"failover_timeout\":60}");
            scheduler.launch(scheduler.awaitOffer(), "seen-1", "sleep 100", 0.5, 64);
            scheduler.acknowledge(scheduler.awaitUpdate("seen-1", "TASK_STARTING"));
            scheduler.awaitUpdate("seen-1", "TASK_RUNNING");

            URI master = cluster.leaderUri();
            HttpResponse<String> state = get(master.resolve("/master/state"));
            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(state.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(state.body()).matches("(?s).*\"start_time\":\\d+\\.\\d+,.*").doesNotContain("E9");
            JsonNode json = RawScheduler.MAPPER.readTree(state.body());
            assertThat(json.path("id").asText()).isEqualTo(cluster.masterId());
            assertThat(json.path("slaves")).hasSize(2);
            JsonNode framework = json.path("frameworks").get(0);
            assertThat(framework.path("id").asText()).isEqualTo(scheduler.frameworkId);
            assertThat(framework.path("tasks").get(0).path("id").asText()).isEqualTo("seen-1");
            assertThat(framework.path("tasks").get(0).path("state").asText()).isEqualTo("TASK_RUNNING");
            // one entry per state, as a real master keeps them; "healthy" only for a task with a health check
            JsonNode statuses = framework.path("tasks").get(0).path("statuses");
            assertThat(statuses.findValuesAsText("state")).containsExactly("TASK_STARTING", "TASK_RUNNING");
            assertThat(statuses.get(1).path("timestamp").isNumber()).isTrue();
            assertThat(statuses.get(1).has("healthy")).isFalse();

            scheduler.call("TEARDOWN", null, null);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode after = RawScheduler.MAPPER.readTree(get(master.resolve("/state")).body());
                assertThat(after.path("frameworks")).isEmpty();
                assertThat(after.path("completed_frameworks").get(0).path("id").asText()).isEqualTo(scheduler.frameworkId);
            });

            assertThat(get(master.resolve("/health")).statusCode()).isEqualTo(200);
            assertThat(get(master.resolve("/version")).body()).contains("\"version\":\"1.11.0\"");
            HttpResponse<String> redirect = get(master.resolve("/redirect"));
            assertThat(redirect.statusCode()).isEqualTo(307);
            assertThat(redirect.headers().firstValue("Location")).contains("//localhost:" + master.getPort());
        }
    }
    @Test
    void aHealthUpdateReplacesTheRunningStatusAndShowsItsResult() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(1)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).build());
             RawScheduler scheduler = new RawScheduler(cluster.leaderUri())) {
            scheduler.subscribe("{\"user\":\"root\",\"name\":\"observed\",\"failover_timeout\":60}");
            JsonNode offer = scheduler.awaitOffer();
            String task = "{\"name\":\"checked\",\"task_id\":{\"value\":\"checked-1\"},\"agent_id\":"
                + offer.path("agent_id") + ",\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\","
                + "\"scalar\":{\"value\":0.1}},{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":32}}],"
                + "\"command\":{\"value\":\"sleep 100\"},\"health_check\":{\"type\":\"COMMAND\","
                + "\"command\":{\"value\":\"true\"},\"delay_seconds\":0,\"interval_seconds\":1}}";
            assertThat(scheduler.call("ACCEPT", "accept", "{\"offer_ids\":[" + offer.path("id") + "],\"operations\":"
                + "[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[" + task + "]}}]}").statusCode()).isEqualTo(202);
            scheduler.acknowledge(scheduler.awaitUpdate("checked-1", "TASK_STARTING"));
            scheduler.acknowledge(scheduler.awaitUpdate("checked-1", "TASK_RUNNING"));
            scheduler.await("UPDATE", e -> e.path("update").path("status").path("healthy").asBoolean(false));

            JsonNode state = RawScheduler.MAPPER.readTree(get(cluster.leaderUri().resolve("/state")).body());
            JsonNode statuses = state.path("frameworks").get(0).path("tasks").get(0).path("statuses");
            // the health update is a second TASK_RUNNING: it replaces the first instead of being appended
            assertThat(statuses.findValuesAsText("state")).containsExactly("TASK_STARTING", "TASK_RUNNING");
            assertThat(statuses.get(1).path("healthy").asBoolean()).isTrue();
        }
    }
}
