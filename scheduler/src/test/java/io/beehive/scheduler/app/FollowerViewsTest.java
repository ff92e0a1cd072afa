package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.election.LeaderInfo;
import io.beehive.election.ZooKeeperClients;
import io.beehive.election.ZooKeeperSettings;
import io.beehive.state.StateStore;
import io.beehive.state.StateStoreConfig;
import io.beehive.state.record.TermStatus;
import io.dropwizard.testing.DropwizardTestSupport;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A leader and a follower of the real application on one ZooKeeper and one local Mesos cluster: what a follower
 * shows about the current term is what the leader shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FollowerViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields /v1/state and /beehive take from the term the leader published. */
    private static final List<String> TERM_FIELDS = List.of("frameworkId", "termEpoch", "subscribedAt",
            "lastReconciliation", "lastFailoverAt", "lastFailoverDurationMillis", "termStatusSource", "leader");

    private static final AppFixture FIXTURE = new AppFixture();
    private static DropwizardTestSupport<BeehiveConfiguration> leader;
    private static DropwizardTestSupport<BeehiveConfiguration> follower;
    private static CuratorFramework operator;

    @BeforeAll
    static void twoReplicas() throws Exception {
        leader = FIXTURE.replica();
        leader.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(leader, "/v1/state")).statusCode() == 200
                && json(url(leader, "/v1/state")).path("phase").asText().equals("ACTIVE"));
        follower = FIXTURE.replica();
        follower.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(follower, "/leaderhealth")).statusCode()
                == 503);
        operator = ZooKeeperClients.create(ZooKeeperSettings.defaults(FIXTURE.zookeeper.getConnectString()));
        operator.start();
        operator.blockUntilConnected(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() throws Exception {
        if (operator != null) {
            operator.close();
        }
        FIXTURE.close();
    }

    static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    static String adminUrl(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getAdminPort() + path;
    }

    static JsonNode json(String url) throws Exception {
        return JSON.readTree(Http.get(url).body());
    }

    private static JsonNode termFields(JsonNode state) {
        var out = JSON.createObjectNode();
        TERM_FIELDS.forEach(f -> out.set(f, state.path(f)));
        return out;
    }

    @Test
    @Order(1)
    void aFollowerShowsTheTermTheLeaderPublished() throws Exception {
        StateStore store = StateStore.open(operator, StateStoreConfig.withRoot("/beehive"));
        LeaderInfo current = await().atMost(Duration.ofSeconds(30)).until(FollowerViewsTest::currentLeader,
                Optional::isPresent).orElseThrow();
        String frameworkId = json(url(leader, "/v1/state")).path("frameworkId").asText();
        // The leader publishes its term when elected and again once in office (subscribed and reconciled).
        await().atMost(Duration.ofSeconds(30)).until(() -> store.readTermStatus().get(30, TimeUnit.SECONDS)
                .filter(t -> t.epoch() == current.epoch() && t.subscribedAtMillis() != null).isPresent());

        // Both replicas show the published record, whatever the leader publishes meanwhile.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TermStatus stored = store.readTermStatus().get(30, TimeUnit.SECONDS).orElseThrow();
            JsonNode onLeader = json(url(leader, "/v1/state"));
            JsonNode onFollower = json(url(follower, "/v1/state"));
            JsonNode followerAdmin = json(adminUrl(follower, "/beehive"));
            assertThat(onFollower.path("role").asText()).isEqualTo("follower");
            assertThat(onFollower.path("termStatusSource").asText()).isEqualTo("zookeeper");
            assertThat(onFollower.path("termEpoch").asLong()).isEqualTo(current.epoch());
            assertThat(onFollower.path("frameworkId").asText()).isEqualTo(frameworkId).isEqualTo(stored.frameworkId());
            assertThat(onFollower.path("lastFailoverAt").asText())
                    .isEqualTo(Instant.ofEpochMilli(stored.electedAtMillis()).toString());
            assertThat(onFollower.path("subscribedAt").asText())
                    .isEqualTo(Instant.ofEpochMilli(stored.subscribedAtMillis()).toString());
            assertThat(onFollower.path("lastFailoverDurationMillis").asLong()).isEqualTo(stored.failoverMillis());
            assertThat(onFollower.path("lastReconciliation").asText())
                    .isEqualTo(Instant.ofEpochMilli(stored.lastReconciliationAtMillis()).toString());
            assertThat(termFields(onLeader)).isEqualTo(termFields(onFollower));
            assertThat(termFields(followerAdmin)).isEqualTo(termFields(onFollower));
            assertThat(termFields(json(adminUrl(leader, "/beehive")))).isEqualTo(termFields(onLeader));
        });

        // A status written through the state API with the leader's fence (as the leader writes it) is what every
        // replica shows next: the follower reads ZooKeeper, it does not echo the leader's memory.
        long elected = current.since().toEpochMilli();
        TermStatus written = TermStatus.elected(current.participantId(), current.epoch(), elected)
                .subscribed(frameworkId, elected + 40, 1234).reconciled(elected + 700);
        store.saveTermStatus(current.fence(), written).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode onFollower = json(url(follower, "/v1/state"));
            assertThat(onFollower.path("lastFailoverDurationMillis").asLong()).isEqualTo(1234);
            assertThat(termFields(json(url(leader, "/v1/state")))).isEqualTo(termFields(onFollower));
        });
    }

    /**
     * STAGING and STARTING last milliseconds: a stream that polls snapshots misses them. Pushed from the core, every
     * state arrives, in order, on the leader's stream and, relayed, on the follower's.
     */
    @Test
    @Order(2)
    void everyTaskStateArrivesInOrderOnTheLeaderAndOnAFollower() {
        try (EventStream onLeader = new EventStream(url(leader, "/v1/events"));
             EventStream onFollower = new EventStream(url(follower, "/v1/events"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> onLeader.open() && onFollower.open());
            // The follower's relay is connected once it has a leader to read from; give it that moment by
            // waiting for the first leader event, which every new stream starts with.
            await().atMost(Duration.ofSeconds(30)).until(() -> !onFollower.events("leader").isEmpty());
            awaitRelayConnected();

            assertThat(Http.post(url(follower, "/v1/jobs"), ApiTest.service("ordered", "sleep 600", 1))
                    .statusCode()).isEqualTo(201);
            List<String> expected = List.of("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING");
            await().atMost(Duration.ofSeconds(30)).until(() -> onLeader.taskStates("ordered").size() >= 3
                    && onFollower.taskStates("ordered").size() >= 3);
            assertThat(onLeader.taskStates("ordered")).containsExactlyElementsOf(expected);
            assertThat(onFollower.taskStates("ordered")).containsExactlyElementsOf(expected);
            JsonNode first = onLeader.events("task").stream()
                    .filter(e -> e.path("jobId").asText().equals("ordered")).findFirst().orElseThrow();
            assertThat(first.has("previousState")).as("a new task has no previous state").isFalse();
            assertThat(onLeader.lines).contains("id: 1");
        }
    }

    /** A leadership change reaches the stream of every replica, and a new follower relays its new leader. */
    @Test
    @Order(3)
    void aLeadershipChangeArrivesOnEveryReplicasStream() throws Exception {
        long oldEpoch = json(url(leader, "/v1/leader")).path("epoch").asLong();
        String followerAddress = "127.0.0.1:" + follower.getLocalPort();
        try (EventStream onOldLeader = new EventStream(url(leader, "/v1/events"));
             EventStream onOldFollower = new EventStream(url(follower, "/v1/events"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> onOldLeader.open() && onOldFollower.open());

            assertThat(Http.post(adminUrl(leader, "/tasks/abdicate"), null).statusCode()).isEqualTo(200);
            for (EventStream stream : List.of(onOldLeader, onOldFollower)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.events("leader").stream().anyMatch(e ->
                        e.path("leader").asText().equals(followerAddress) && e.path("epoch").asLong() > oldEpoch));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> json(url(follower, "/v1/state")).path("phase")
                    .asText().equals("ACTIVE"));
            // Both replicas report the new term and how long its fail-over took, from what the new leader published.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode onNewLeader = json(url(follower, "/v1/state"));
                assertThat(onNewLeader.path("termEpoch").asLong()).isGreaterThan(oldEpoch);
                assertThat(onNewLeader.path("termStatusSource").asText()).isEqualTo("zookeeper");
                assertThat(onNewLeader.path("lastFailoverDurationMillis").isNumber()).isTrue();
                assertThat(termFields(json(url(leader, "/v1/state")))).isEqualTo(termFields(onNewLeader));
            });

            // The old leader now relays from the new one: a task launched by the new leader shows up on it.
            assertThat(Http.post(url(leader, "/v1/jobs"), ApiTest.service("after", "sleep 600", 1)).statusCode())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> onOldFollower.taskStates("after")
                    .contains("TASK_RUNNING") && onOldLeader.taskStates("after").contains("TASK_RUNNING"));
            assertThat(onOldFollower.taskStates("after")).containsExactly("TASK_STAGING", "TASK_STARTING",
                    "TASK_RUNNING");
        }
    }

    /** The follower's relay shows up at the leader as one more (proxied) event subscriber. */
    private static void awaitRelayConnected() {
        await().atMost(Duration.ofSeconds(30)).until(() -> relayedSubscribers(leader) >= 1);
    }

    private static long relayedSubscribers(DropwizardTestSupport<BeehiveConfiguration> replica) throws Exception {
        return json(adminUrl(replica, "/metrics")).path("gauges").path("beehive.events.relayed_subscribers")
                .path("value").asLong();
    }

    private static Optional<LeaderInfo> currentLeader() throws Exception {
        JsonNode l = json(url(follower, "/v1/leader"));
        if (!l.hasNonNull("leader")) {
            return Optional.empty();
        }
        byte[] info = operator.getData().forPath("/beehive/leader-info");
        JsonNode node = JSON.readTree(info);
        return Optional.of(new LeaderInfo(node.path("participantId").asText(), node.path("epoch").asLong(),
                node.path("latchPath").asText(), Instant.parse(node.path("since").asText())));
    }
}
