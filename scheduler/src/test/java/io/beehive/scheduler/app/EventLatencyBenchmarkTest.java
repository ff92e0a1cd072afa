package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How late a task event reaches an event-stream client: from the moment the core reports the durable change (the
 * event's {@code at}, same JVM clock) to the line arriving at a client of the leader, and of a follower (relayed).
 * Prints the figures; asserts only that every event arrived. Run with {@code ./mvnw -B -Pbench verify}.
 */
@Tag("benchmark")
class EventLatencyBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppFixture FIXTURE = new AppFixture();
    private static final int TASKS = 40;

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    @Test
    void taskEventLatencyOnLeaderAndFollower() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> leader = FIXTURE.replica();
        leader.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(leader, "/v1/state")).statusCode() == 200
                && JSON.readTree(Http.get(url(leader, "/v1/state")).body()).path("phase").asText().equals("ACTIVE"));
        DropwizardTestSupport<BeehiveConfiguration> follower = FIXTURE.replica();
        follower.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(follower, "/leaderhealth")).statusCode()
                == 503);
        try (EventStream onLeader = new EventStream(url(leader, "/v1/events"));
             EventStream onFollower = new EventStream(url(follower, "/v1/events"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !onLeader.events("leader").isEmpty()
                    && !onFollower.events("leader").isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(Http.get(
                    "http://127.0.0.1:" + leader.getAdminPort() + "/metrics").body()).path("gauges")
                    .path("beehive.events.relayed_subscribers").path("value").asLong() >= 1);
            String job = "{\"id\":\"bench\",\"kind\":\"SERVICE\",\"command\":\"sleep 600\",\"instances\":" + TASKS
                    + ",\"resources\":{\"cpus\":0.01,\"memMb\":1}}";
            assertThat(Http.post(url(leader, "/v1/jobs"), job).statusCode()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(120)).until(() -> count(onLeader, "TASK_RUNNING") == TASKS
                    && count(onFollower, "TASK_RUNNING") == TASKS);
            print("task event, leader's stream           ", delays(onLeader));
            print("task event, follower's stream (relay) ", delays(onFollower));
        }
    }

    private static long count(EventStream s, String state) {
        return s.taskStates("bench").stream().filter(state::equals).count();
    }

    /** Milliseconds from the event's "at" to its data line arriving, for every task event of the job. */
    private static long[] delays(EventStream s) throws Exception {
        List<Long> out = new ArrayList<>();
        String current = null;
        for (int i = 0; i < s.lines.size(); i++) {
            String line = s.lines.get(i);
            if (line.startsWith("event:")) {
                current = line.substring(6).trim();
            } else if (line.startsWith("data:") && "task".equals(current)) {
                var event = JSON.readTree(line.substring(5).trim());
                if (event.path("jobId").asText().equals("bench")) {
                    out.add(s.arrivedAtMillis.get(i) - Instant.parse(event.path("at").asText()).toEpochMilli());
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void print(String what, long[] sorted) {
        System.out.printf("%s n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms%n", what, sorted.length,
                sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))], sorted[sorted.length - 1]);
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }
}
