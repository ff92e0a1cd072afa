package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The last replica standing has nobody to hand leadership to: a graceful stop must not wait out the hand-off
 * timeout for a successor that cannot come.
 */
class LastReplicaStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppFixture FIXTURE = new AppFixture();
    /** Far above anything a stop without waiting takes, so the assertion has no timing margin to speak of. */
    private static final Duration HAND_OFF_TIMEOUT = Duration.ofSeconds(120);

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    @Test
    void theOnlyReplicaStopsWithoutWaitingForASuccessor() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> only = FIXTURE.replica(
                ConfigOverride.config("replica.handOffTimeout", HAND_OFF_TIMEOUT.toSeconds() + "s"));
        only.before();
        String api = "http://127.0.0.1:" + only.getLocalPort();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(api + "/v1/state").statusCode() == 200
                && JSON.readTree(Http.get(api + "/v1/state").body()).path("phase").asText().equals("ACTIVE"));
        assertThat(Http.post(api + "/v1/jobs", ApiTest.service("keep", "sleep 600", 1)).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(Http.get(api
                + "/v1/tasks?job=keep&state=running").body()).size() == 1);

        long start = System.nanoTime();
        only.after();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("stop of the last replica (hand-off timeout %s)", HAND_OFF_TIMEOUT)
                .isLessThan(HAND_OFF_TIMEOUT.dividedBy(4));
        System.out.println("Last replica stopped in " + took.toMillis() + " ms");
    }
}
