package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the console's overview reads, from two replicas of the real application: both list the same replicas with
 * the same roles ({@code /v1/replicas}), and after hand-offs both show the same fail-over history, newest first,
 * each entry naming who led before.
 */
class ReplicasAndFailoversTest {
    private static final AppFixture FIXTURE = new AppFixture();

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    @Test
    void everyReplicaListsTheSameReplicasAndTheSameFailoverHistory() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> a = FIXTURE.replica();
        a.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(a).equals("ACTIVE"));
        DropwizardTestSupport<BeehiveConfiguration> b = FIXTURE.replica();
        b.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(b, "/leaderhealth")).statusCode() == 503);
        String aAddress = "127.0.0.1:" + a.getLocalPort();
        String bAddress = "127.0.0.1:" + b.getLocalPort();

        for (DropwizardTestSupport<?> r : List.of(a, b)) {
            JsonNode replicas = Http.json(Http.get(url(r, "/v1/replicas")));
            assertThat(replicas.path("leader").asText()).isEqualTo(aAddress);
            assertThat(replicas.path("replicas").findValuesAsText("address")).containsExactly(aAddress, bAddress);
            assertThat(replicas.path("replicas").findValuesAsText("role")).containsExactly("leader", "follower");
            assertThat(replicas.path("replicas").get(0).path("url").asText()).isEqualTo("http://" + aAddress + "/");
            assertThat(replicas.path("replicas").findValuesAsText("self"))
                    .containsExactly(String.valueOf(r == a), String.valueOf(r == b));
        }

        // Two hand-offs: a → b → a. Each new leader records its fail-over; both replicas show the same three.
        handOff(a, b);
        handOff(b, a);
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            seen.clear();
            seen.add(Http.json(Http.get(url(a, "/v1/state"))).path("failovers"));
            seen.add(Http.json(Http.get(url(b, "/v1/state"))).path("failovers"));
            return seen.get(0).size() == 3 && seen.get(0).equals(seen.get(1));
        });
        JsonNode history = seen.get(0);
        assertThat(history.findValuesAsText("leader")).containsExactly(aAddress, bAddress, aAddress);
        assertThat(history.findValuesAsText("cause")).containsExactly("leader changed", "leader changed",
                "first leader");
        assertThat(history.get(0).path("previousLeader").asText()).isEqualTo(bAddress);
        assertThat(history.get(0).path("epoch").asLong()).isGreaterThan(history.get(1).path("epoch").asLong());
        assertThat(history.get(2).path("previousLeader").isNull()).as("the first leader had no predecessor").isTrue();
        for (JsonNode f : history) {
            assertThat(f.path("durationMillis").asLong()).isPositive();
        }
    }

    private static void handOff(DropwizardTestSupport<?> from, DropwizardTestSupport<?> to) {
        HttpResponse<String> abdicated = Http.post("http://127.0.0.1:" + from.getAdminPort() + "/tasks/abdicate", null);
        assertThat(abdicated.statusCode()).as(abdicated.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(to).equals("ACTIVE"));
    }

    private static String phase(DropwizardTestSupport<?> r) {
        HttpResponse<String> state = Http.get(url(r, "/v1/state"));
        return state.statusCode() == 200 ? Http.json(state).path("phase").asText() : "";
    }
}
