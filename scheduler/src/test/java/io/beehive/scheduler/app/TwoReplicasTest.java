package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.election.ZooKeeperClients;
import io.beehive.election.ZooKeeperSettings;
import io.dropwizard.testing.DropwizardTestSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the real application in one JVM, sharing one ZooKeeper and one local Mesos cluster: the load
 * balancer contract ({@code /leaderhealth} 502/200/503), a follower forwarding writes and answering reads, the
 * loop guard, the event stream, and a hand-off through the admin task.
 */
class TwoReplicasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppFixture FIXTURE = new AppFixture();

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    private static String adminUrl(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getAdminPort() + path;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void anyReplicaAnswersAndWritesReachTheLeader() throws Exception {
        // A contender that wins the latch but never takes office: the replica sees a race with no leader.
        CuratorFramework squatterClient = ZooKeeperClients.create(ZooKeeperSettings.defaults(
                FIXTURE.zookeeper.getConnectString()));
        squatterClient.start();
        LeaderLatch squatter = new LeaderLatch(squatterClient, "/beehive/leader", "squatter");
        squatter.start();
        await().atMost(Duration.ofSeconds(30)).until(squatter::hasLeadership);

        DropwizardTestSupport<BeehiveConfiguration> a = FIXTURE.replica();
        a.before();
        String aAddress = "127.0.0.1:" + a.getLocalPort();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(a, "/leaderhealth")).statusCode() == 502);
        HttpResponse<String> noLeader = Http.post(url(a, "/v1/jobs"), ApiTest.service("early", "sleep 600", 1));
        assertThat(noLeader.statusCode()).isEqualTo(503);
        assertThat(noLeader.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(Http.get(url(a, "/v1/leader")).statusCode()).isEqualTo(503);

        squatter.close();
        squatterClient.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(a, "/leaderhealth")).statusCode() == 200);

        DropwizardTestSupport<BeehiveConfiguration> b = FIXTURE.replica();
        b.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(b, "/leaderhealth")).statusCode() == 503);
        assertThat(Http.get(url(b, "/leaderhealth")).headers().firstValue("X-Beehive-Leader")).hasValue(aAddress);

        try (EventStream events = new EventStream(url(b, "/v1/events"))) {
            await().atMost(Duration.ofSeconds(30)).until(events::open);

            // A write sent to the follower is forwarded to the leader and its answer relayed.
            HttpResponse<String> created = Http.post(url(b, "/v1/jobs"), ApiTest.service("via-b", "sleep 600", 1));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("X-Beehive-Leader")).hasValue(aAddress);
            assertThat(json(created).path("id").asText()).isEqualTo("via-b");
            // The leader has it in memory; the follower reads it from ZooKeeper and says so.
            assertThat(Http.get(url(a, "/v1/jobs/via-b")).statusCode()).isEqualTo(200);
            HttpResponse<String> followerRead = Http.get(url(b, "/v1/jobs/via-b"));
            assertThat(followerRead.statusCode()).isEqualTo(200);
            assertThat(followerRead.headers().firstValue("X-Beehive-Served-By")).hasValue("follower");
            // Errors come back from the leader unchanged.
            assertThat(Http.post(url(b, "/v1/jobs"), ApiTest.service("via-b", "sleep 601", 1)).statusCode())
                    .isEqualTo(409);
            // The same create again (a client retrying after a lost answer) finds its job: 200, with its version.
            HttpResponse<String> again = Http.post(url(b, "/v1/jobs"), ApiTest.service("via-b", "sleep 600", 1));
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(again.headers().firstValue("ETag")).hasValue("\"" + json(created).path("version").asLong()
                    + "\"");
            // If-Match crosses to the leader, which checks it.
            HttpResponse<String> stale = Http.send("PATCH", url(b, "/v1/jobs/via-b"), "{\"instances\":2}",
                    "If-Match", "\"99\"");
            assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
            assertThat(Http.post(url(b, "/v1/jobs"), "{\"id\":").statusCode()).isEqualTo(400);

            await().atMost(Duration.ofSeconds(30)).until(() -> json(Http.get(url(b,
                    "/v1/tasks?job=via-b&state=running"))).size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.has("\"jobId\":\"via-b\"")
                    && events.has("TASK_RUNNING"));
            assertThat(events.has("event: task")).isTrue();
        }

        // A request already forwarded once is never forwarded again.
        HttpResponse<String> looped = Http.post(url(b, "/v1/jobs"), ApiTest.service("loop", "sleep 600", 1),
                "X-Beehive-Proxied-By", "127.0.0.1:1");
        assertThat(looped.statusCode()).isEqualTo(503);
        assertThat(looped.headers().firstValue("Retry-After")).isPresent();
        assertThat(Http.get(url(a, "/v1/jobs/loop")).statusCode()).isEqualTo(404);

        JsonNode followerView = json(Http.get(adminUrl(b, "/beehive")));
        assertThat(followerView.path("role").asText()).isEqualTo("follower");
        assertThat(followerView.path("leader").asText()).isEqualTo(aAddress);
        assertThat(followerView.path("frameworkId").asText()).isEqualTo(json(Http.get(url(a, "/v1/state")))
                .path("frameworkId").asText());
        assertThat(followerView.path("taskCounts").path("TASK_RUNNING").asLong()).isEqualTo(1);
        assertThat(json(Http.get(adminUrl(b, "/healthcheck"))).path("mesos-subscription").path("healthy")
                .asBoolean()).isTrue();

        // A record in quarantine makes the quarantine health check fail, naming the record.
        CuratorFramework operator = ZooKeeperClients.create(ZooKeeperSettings.defaults(
                FIXTURE.zookeeper.getConnectString()));
        operator.start();
        operator.create().creatingParentsIfNeeded().forPath("/beehive/quarantine/jobs~broken@1", new byte[]{1});
        HttpResponse<String> unhealthy = Http.get(adminUrl(b, "/healthcheck"));
        assertThat(unhealthy.statusCode()).isEqualTo(500);
        assertThat(json(unhealthy).path("quarantine").path("healthy").asBoolean()).isFalse();
        assertThat(json(unhealthy).path("quarantine").path("message").asText()).contains("jobs~broken@1");
        operator.delete().forPath("/beehive/quarantine/jobs~broken@1");
        operator.close();
        assertThat(Http.get(adminUrl(b, "/healthcheck")).statusCode()).isEqualTo(200);

        // Hand-off: the leader abdicates through its admin task; the follower takes over with the same framework.
        try (EventStream events = new EventStream(url(b, "/v1/events"))) {
            await().atMost(Duration.ofSeconds(30)).until(events::open);
            HttpResponse<String> abdicated = Http.post(adminUrl(a, "/tasks/abdicate"), null);
            assertThat(abdicated.statusCode()).as(abdicated.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(b, "/leaderhealth")).statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.has("event: leader")
                    && events.has("127.0.0.1:" + b.getLocalPort()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(a, "/leaderhealth")).statusCode() == 503);
        HttpResponse<String> viaA = Http.post(url(a, "/v1/jobs"), ApiTest.service("via-a", "sleep 600", 0));
        assertThat(viaA.statusCode()).as(viaA.body()).isEqualTo(201);
        assertThat(Http.get(url(b, "/v1/jobs/via-a")).headers().firstValue("X-Beehive-Served-By"))
                .hasValue("leader");

        // Graceful stop of the leader (what SIGTERM runs): it hands over before it goes, so the other replica
        // leads, with the same FrameworkID, and the running task is still the same task.
        String frameworkId = json(Http.get(url(b, "/v1/state"))).path("frameworkId").asText();
        String runningTask = json(Http.get(url(b, "/v1/tasks?job=via-b&state=running"))).get(0).path("taskId")
                .asText();
        b.after();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(a, "/leaderhealth")).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> json(Http.get(url(a, "/v1/state"))).path("phase")
                .asText().equals("ACTIVE"));
        assertThat(json(Http.get(url(a, "/v1/state"))).path("frameworkId").asText()).isEqualTo(frameworkId);
        JsonNode stillRunning = json(Http.get(url(a, "/v1/tasks?job=via-b&state=running")));
        assertThat(stillRunning.size()).isEqualTo(1);
        assertThat(stillRunning.get(0).path("taskId").asText()).isEqualTo(runningTask);
        assertThat(json(Http.get(url(a, "/v1/state"))).path("lastFailoverDurationMillis").isNumber()).isTrue();
    }
}
