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
}
