package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ZooKeeper health check follows the real connection: down while the server is, back when it returns. */
class ZooKeeperOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppFixture FIXTURE = new AppFixture();

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    private static JsonNode health(DropwizardTestSupport<?> r) throws Exception {
        HttpResponse<String> h = Http.get("http://127.0.0.1:" + r.getAdminPort() + "/healthcheck");
        return JSON.readTree(h.body()).path("zookeeper");
    }

    @Test
    void zooKeeperHealthCheckFollowsTheConnection() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> replica = FIXTURE.replica();
        replica.before();
        String leaderHealth = "http://127.0.0.1:" + replica.getLocalPort() + "/leaderhealth";
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(leaderHealth).statusCode() == 200);
        assertThat(health(replica).path("healthy").asBoolean()).isTrue();

        FIXTURE.zookeeper.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !health(replica).path("healthy").asBoolean());
        assertThat(health(replica).path("message").asText()).contains("not connected");

        FIXTURE.zookeeper.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> health(replica).path("healthy").asBoolean());
        // Whether it kept its office through the outage or was re-elected, the replica leads again.
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(leaderHealth).statusCode() == 200);
    }
}
