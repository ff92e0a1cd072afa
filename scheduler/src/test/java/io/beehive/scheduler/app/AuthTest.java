package io.beehive.scheduler.app;

import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Authentication from the configuration ({@code auth-test.yml}: a Basic user, a user with an empty password that
 * must not work, a bearer token, reads protected) on a leader and on a follower that forwards credentials.
 */
class AuthTest {
    private static final String CONFIG = ResourceHelpers.resourceFilePath("io/beehive/scheduler/app/auth-test.yml");
    private static final AppFixture FIXTURE = new AppFixture();
    private static DropwizardTestSupport<BeehiveConfiguration> leader;
    private static DropwizardTestSupport<BeehiveConfiguration> follower;

    @BeforeAll
    static void start() throws Exception {
        leader = new DropwizardTestSupport<>(BeehiveApplication.class, CONFIG, FIXTURE.overrides());
        leader.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(leader, "/leaderhealth")).statusCode() == 200);
        follower = new DropwizardTestSupport<>(BeehiveApplication.class, CONFIG, FIXTURE.overrides());
        follower.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(follower, "/leaderhealth")).statusCode()
                == 503);
    }

    @AfterAll
    static void stop() throws Exception {
        follower.after();
        leader.after();
        FIXTURE.close();
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesNeedAConfiguredUserOrToken() {
        String job = ApiTest.service("auth-1", "sleep 600", 0);
        HttpResponse<String> anonymous = Http.post(url(leader, "/v1/jobs"), job);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(Http.post(url(leader, "/v1/jobs"), job, "Authorization", basic("alice", "wrong")).statusCode())
                .isEqualTo(401);
        assertThat(Http.post(url(leader, "/v1/jobs"), job, "Authorization", basic("nobody", "")).statusCode())
                .as("a user whose password is empty is ignored").isEqualTo(401);
        assertThat(Http.post(url(leader, "/v1/jobs"), job, "Authorization", "Bearer not-the-token").statusCode())
                .isEqualTo(401);

        assertThat(Http.post(url(leader, "/v1/jobs"), job, "Authorization", basic("alice", "wonderland"))
                .statusCode()).isEqualTo(201);
        assertThat(Http.send("DELETE", url(leader, "/v1/jobs/auth-1"), null, "Authorization", "Bearer s3cret-token")
                .statusCode()).isEqualTo(202);
    }

    @Test
    void readsAreProtectedWhenConfiguredButLoadBalancerAndOpenApiStayOpen() {
        assertThat(Http.get(url(leader, "/v1/jobs")).statusCode()).isEqualTo(401);
        assertThat(Http.get(url(leader, "/v1/jobs"), "Authorization", "Bearer s3cret-token").statusCode())
                .isEqualTo(200);
        assertThat(Http.get(url(leader, "/leaderhealth")).statusCode()).isEqualTo(200);
        assertThat(Http.get(url(leader, "/v1/openapi.json")).statusCode()).isEqualTo(200);
        // task logs are a read: credentials first (401), then the task is looked up (404), on any replica
        for (DropwizardTestSupport<?> replica : java.util.List.of(leader, follower)) {
            assertThat(Http.get(url(replica, "/v1/tasks/no-such/logs/stdout")).statusCode()).isEqualTo(401);
            assertThat(Http.get(url(replica, "/v1/tasks/no-such/logs/stdout?follow=true")).statusCode())
                    .isEqualTo(401);
            assertThat(Http.get(url(replica, "/v1/tasks/no-such/logs/stdout"), "Authorization",
                    "Bearer s3cret-token").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aFollowerChecksCredentialsAndForwardsThemToTheLeader() {
        String job = ApiTest.service("auth-2", "sleep 600", 0);
        assertThat(Http.post(url(follower, "/v1/jobs"), job).statusCode()).isEqualTo(401);
        HttpResponse<String> created = Http.post(url(follower, "/v1/jobs"), job, "Authorization",
                "Bearer s3cret-token");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Beehive-Leader")).hasValue("127.0.0.1:" + leader.getLocalPort());
    }

    /** With reads protected, a follower relays the leader's task events under its client's own credentials. */
    @Test
    void aFollowersEventStreamNeedsCredentialsAndRelaysWithThem() {
        try (EventStream anonymous = new EventStream(url(follower, "/v1/events"));
             EventStream withToken = new EventStream(url(follower, "/v1/events"), "Authorization",
                     "Bearer s3cret-token")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> anonymous.status() == 401 && withToken.open());
            await().atMost(Duration.ofSeconds(30)).until(() -> !withToken.events("leader").isEmpty());
            String job = ApiTest.service("auth-events", "sleep 600", 1);
            assertThat(Http.post(url(follower, "/v1/jobs"), job, "Authorization", "Bearer s3cret-token")
                    .statusCode()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> withToken.taskStates("auth-events")
                    .contains("TASK_RUNNING"));
        }
    }
}
