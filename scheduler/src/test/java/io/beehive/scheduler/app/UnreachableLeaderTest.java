package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower forwarding a write to a leader it cannot reach (the leader's API port refuses connections, as a
 * leader that just died does until its session expires) answers 503 saying the write was not applied; the client
 * that retries, as the README's rule says, gets its job created once, and a second retry finds it (200).
 */
class UnreachableLeaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppFixture FIXTURE = new AppFixture();

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** The leader's API connector: stopping it makes its port refuse connections while it goes on leading. */
    private static ServerConnector apiConnector(DropwizardTestSupport<?> replica) {
        Connector[] connectors = replica.getEnvironment().getApplicationContext().getServer().getConnectors();
        return Arrays.stream(connectors).filter(ServerConnector.class::isInstance).map(ServerConnector.class::cast)
                .filter(c -> c.getLocalPort() == replica.getLocalPort()).findFirst().orElseThrow();
    }

    @Test
    void aWriteRefusedByAnUnreachableLeaderSaysItWasNotAppliedAndARetryCreatesItOnce() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> leader = FIXTURE.replica();
        leader.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(leader, "/leaderhealth")).statusCode()
                == 200);
        DropwizardTestSupport<BeehiveConfiguration> follower = FIXTURE.replica();
        follower.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(follower, "/leaderhealth")).statusCode()
                == 503);
        String leaderAddress = "127.0.0.1:" + leader.getLocalPort();

        ServerConnector connector = apiConnector(leader);
        int port = connector.getLocalPort();
        connector.stop();
        String spec = ApiTest.service("refused", "sleep 600", 0);
        HttpResponse<String> refused = Http.post(url(follower, "/v1/jobs"), spec);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("X-Beehive-Write-Applied")).hasValue("no");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("X-Beehive-Leader")).hasValue(leaderAddress);
        assertThat(json(refused).path("applied").asText()).isEqualTo("no");
        assertThat(json(refused).path("message").asText()).contains(leaderAddress).contains("not applied");
        // The follower reads ZooKeeper: nothing was written.
        assertThat(Http.get(url(follower, "/v1/jobs/refused")).statusCode()).isEqualTo(404);

        // The leader is reachable again on the same address: the client's retry creates the job, a second finds it.
        connector.setPort(port);
        connector.start();
        HttpResponse<String> retried = Http.post(url(follower, "/v1/jobs"), spec);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        HttpResponse<String> again = Http.post(url(follower, "/v1/jobs"), spec);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("createdAtMillis")).isEqualTo(json(retried).path("createdAtMillis"));
    }
}
