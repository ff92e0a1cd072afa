package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.DropwizardTestSupport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static io.beehive.scheduler.app.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18's fuzz as a property: whatever a client sends to any endpoint of a real replica (the leader, with the
 * local cluster), the answer is never a 5xx other than a 503 with Retry-After; a refused request (4xx) changes no
 * job, task or blacklist entry; and the replica still leads. See {@link FuzzRequests} for what is sent.
 *
 * <p>A fixed seed keeps the run the same every time; the world it runs in holds still between tries (a running
 * job the fuzz cannot reach, and jobs of 0 instances it creates, changes and deletes; after a write it accepted, it
 * waits for the deployment or deletion it started to end), so the before/after comparison has no timing in it.
 */
class ApiFuzzTest {
    private static AppFixture fixture;
    private static DropwizardTestSupport<BeehiveConfiguration> replica;

    @BeforeContainer
    static void startReplica() {
        fixture = new AppFixture();
        replica = fixture.replica();
        try {
            replica.before();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(url("/leaderhealth")).statusCode() == 200
                && json(Http.get(url("/v1/state"))).path("phase").asText().equals("ACTIVE"));
        // Out of the fuzz's reach (no request names it): a task that runs throughout, so /v1/tasks and /v1/agents
        // have something in them that a refused request must not touch.
        assertThat(Http.post(url("/v1/jobs"), ApiTest.service("keeper", "sleep 600", 1)).statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> json(Http.get(url("/v1/tasks?job=keeper&state=running")))
                .size() == 1);
        // A job with a previous run, so that a rollback can be accepted too.
        assertThat(Http.post(url("/v1/jobs"), ApiTest.service("fuzz-b", "sleep 600", 0)).statusCode())
                .isEqualTo(201);
        assertThat(Http.send("PATCH", url("/v1/jobs/fuzz-b"), "{\"command\":\"sleep 601\"}").statusCode())
                .isEqualTo(200);
        awaitSettled();
    }

    @AfterContainer
    static void stopReplica() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + replica.getLocalPort() + path;
    }

    @Provide
    Arbitrary<FuzzRequest> requests() {
        return FuzzRequests.any(fixture.cluster.agentIds());
    }

    @Property(tries = 250, seed = "18", shrinking = ShrinkingMode.BOUNDED)
    void noRequestGetsAServerErrorAndARefusedOneChangesNothing(@ForAll("requests") FuzzRequest request) {
        State before = State.read();
        FuzzRequest.Answer answer = request.send(url(""));
        int status = answer.status();
        String what = request + " -> " + status + " " + answer.body();
        // The report shows what the run covered: how many tries got each status.
        Statistics.label("status").collect(status);

        assertThat(status < 500 || (status == 503 && answer.response().headers().firstValue("Retry-After")
                .isPresent())).as(what).isTrue();
        if (status >= 400 && status < 500) {
            assertThat(State.read()).as("state after " + what).isEqualTo(before);
        } else if (request.writes() && status < 300) {
            awaitSettled();
        }
        assertThat(Http.get(url("/leaderhealth")).statusCode()).as("still leading after " + what).isEqualTo(200);
    }

    /** A write the API accepted may have started a deployment or a deletion: the next try starts after it. */
    private static void awaitSettled() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode job : json(Http.get(url("/v1/jobs")))) {
                if (job.has("deployment") || job.path("goal").asText().equals("DELETED")) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * What a request could change: the jobs (without the counts of their tasks, which follow the tasks' states),
     * which tasks exist and what they are meant to do (not their states, which move by themselves), and the
     * blacklist.
     */
    private record State(JsonNode jobs, Set<String> tasks, JsonNode agents) {
        static State read() {
            JsonNode jobs = json(Http.get(url("/v1/jobs")));
            jobs.forEach(j -> ((ObjectNode) j).remove(java.util.List.of("taskCounts", "deploymentProgress")));
            Set<String> tasks = new TreeSet<>();
            json(Http.get(url("/v1/tasks"))).forEach(t -> tasks.add(t.path("taskId").asText() + " of "
                    + t.path("jobId").asText() + ", desired " + t.path("desiredState").asText()));
            JsonNode agents = json(Http.get(url("/v1/agents")));
            agents.forEach(a -> ((ObjectNode) a).remove("activeTasks"));
            return new State(jobs, tasks, agents);
        }
    }
}
