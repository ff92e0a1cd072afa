package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/tasks/{id}/logs/{file}} on a leader and a follower of the real application, against the local
 * cluster's agents over their HTTP API (tasks are real processes writing real sandbox files).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskLogsTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    /** 9 + 9 + 11 bytes. */
    private static final String PRINTED = "line-one\nline-two\n0123456789\n";

    private static final AppFixture FIXTURE = new AppFixture();
    private static DropwizardTestSupport<BeehiveConfiguration> leader;
    private static DropwizardTestSupport<BeehiveConfiguration> follower;
    private static String frameworkId;
    private static String printer;

    @BeforeAll
    static void twoReplicas() throws Exception {
        ConfigOverride[] logs = {
            ConfigOverride.config("api.logs.followPollInterval", "100ms"),
            ConfigOverride.config("api.logs.followKeepAlive", "200ms"),
            ConfigOverride.config("api.logs.agentAddressCacheTime", "0s"),
            ConfigOverride.config("api.logs.agentTimeout", "2s"),
            ConfigOverride.config("api.logs.maxFollowers", "2")};
        leader = FIXTURE.replica(logs);
        leader.before();
        await().atMost(LONG).until(() -> Http.get(url(leader, "/v1/state")).statusCode() == 200
                && Http.json(Http.get(url(leader, "/v1/state"))).path("phase").asText().equals("ACTIVE"));
        follower = FIXTURE.replica(logs);
        follower.before();
        await().atMost(LONG).until(() -> Http.get(url(follower, "/leaderhealth")).statusCode() == 503);
        frameworkId = Http.json(Http.get(url(leader, "/v1/state"))).path("frameworkId").asText();
        printer = finishedTask("printer", "echo line-one; echo line-two; echo 0123456789");
    }

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    @Test
    @Order(1)
    void windowReturnsWhatTheTaskPrinted() {
        JsonNode all = ok(logs(leader, printer, "stdout", "?offset=0"));
        assertThat(all.path("taskId").asText()).isEqualTo(printer);
        assertThat(all.path("file").asText()).isEqualTo("stdout");
        assertThat(all.path("data").asText()).isEqualTo(PRINTED);
        assertThat(all.path("offset").asLong()).isZero();
        assertThat(all.path("length").asLong()).isEqualTo(29);
        assertThat(all.path("size").asLong()).isEqualTo(29);

        JsonNode middle = ok(logs(leader, printer, "stdout", "?offset=9&length=8"));
        assertThat(middle.path("data").asText()).isEqualTo("line-two");
        assertThat(middle.path("offset").asLong()).isEqualTo(9);
        assertThat(middle.path("size").asLong()).isEqualTo(29);
        assertThat(ok(logs(leader, printer, "stdout", "?offset=29")).path("data").asText()).isEmpty();
        assertThat(ok(logs(leader, printer, "stdout", "?offset=1000")).path("data").asText()).isEmpty();

        // no offset: the last length bytes
        JsonNode tail = ok(logs(leader, printer, "stdout", "?length=11"));
        assertThat(tail.path("data").asText()).isEqualTo("0123456789\n");
        assertThat(tail.path("offset").asLong()).isEqualTo(18);
        // no length either: the default window holds the whole small file
        assertThat(ok(logs(leader, printer, "stdout", "")).path("data").asText()).isEqualTo(PRINTED);
        assertThat(ok(logs(leader, printer, "stderr", "")).path("file").asText()).isEqualTo("stderr");
    }

    @Test
    @Order(2)
    void aFollowerReadsTheAgentItself() {
        HttpResponse<String> r = logs(follower, printer, "stdout", "?offset=0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Beehive-Served-By")).hasValue("follower");
        assertThat(r.headers().firstValue("X-Beehive-Leader")).isEmpty(); // not relayed from the leader
        assertThat(Http.json(r).path("data").asText()).isEqualTo(PRINTED);
        assertThat(logs(leader, printer, "stdout", "").headers().firstValue("X-Beehive-Served-By")).hasValue("leader");
    }

    @Test
    @Order(3)
    void badRequestsSayWhatIsWrong() {
        assertProblem(logs(leader, "no-such-task", "stdout", ""), 404, "no task no-such-task");
        assertProblem(logs(leader, printer, "stdin", ""), 404, "no log file stdin");
        assertProblem(logs(leader, printer, "stdout", "?offset=-1"), 400, "offset must be at least 0");
        assertProblem(logs(leader, printer, "stdout", "?offset=abc"), 400, "offset must be a whole number");
        assertProblem(logs(leader, printer, "stdout", "?length=ten"), 400, "length must be a whole number");
        assertProblem(logs(leader, printer, "stdout", "?length=1048577"), 400,
                "length must be at most 1048576 bytes (api.logs.maxBytesPerRequest)");
        assertProblem(logs(leader, printer, "stdout", "?follow=yes"), 400, "follow must be true or false");
        // the largest window allowed is fine
        assertThat(logs(leader, printer, "stdout", "?length=1048576").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void followSeesLinesPrintedAfterItOpenedAndEndsWithEof() throws Exception {
        String taskId = runningTask("waiter", "echo first; while [ ! -f go ]; do sleep 0.1; done; echo second");
        Path sandbox = FIXTURE.cluster.sandbox(frameworkId, taskId);
        try (EventStream stream = new EventStream(url(follower, "/v1/tasks/" + taskId + "/logs/stdout?follow=true"))) {
            await().atMost(LONG).until(() -> text(stream).equals("first\n"));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.events("eof")).isEmpty();
            Files.writeString(sandbox.resolve("go"), ""); // the task goes on, prints, and ends
            await().atMost(LONG).until(() -> !stream.events("eof").isEmpty());
            assertThat(text(stream)).isEqualTo("first\nsecond\n");
            assertThat(stream.events("eof").get(0).path("offset").asLong()).isEqualTo(13);
            List<JsonNode> chunks = stream.events("log");
            assertThat(chunks.get(chunks.size() - 1).path("offset").asLong()).isEqualTo(6);
        }
        // a follow from an offset replays from there
        String fromSix = url(leader, "/v1/tasks/" + taskId + "/logs/stdout?follow=true&offset=6");
        try (EventStream stream = new EventStream(fromSix)) {
            await().atMost(LONG).until(() -> !stream.events("eof").isEmpty());
            assertThat(text(stream)).isEqualTo("second\n");
        }
    }

    @Test
    @Order(5)
    void followsEndWhenTheirClientsGoAway() {
        String taskId = runningTask("quiet", "sleep 600");
        String url = url(leader, "/v1/tasks/" + taskId + "/logs/stdout?follow=true");
        List<EventStream> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            EventStream s = new EventStream(url);
            open.add(s);
            await().atMost(LONG).until(s::open);
        }
        // api.logs.maxFollowers is 2 here
        assertThat(Http.streamStatus(url)).isEqualTo(503);
        // HEAD checks and answers without streaming (Jersey's implicit HEAD would run the endless GET)
        assertThat(Http.send("HEAD", url, null).statusCode()).isEqualTo(200);
        assertThat(Http.send("HEAD", url(leader, "/v1/tasks/nothing/logs/stdout?follow=true"), null).statusCode())
                .isEqualTo(404);
        assertThat(Http.send("HEAD", url(leader, "/v1/events"), null).statusCode()).isEqualTo(200);
        open.forEach(EventStream::close);
        // the server notices at its next keep-alive and frees both: the request threads have ended
        await().atMost(LONG).until(() -> Http.streamStatus(url) == 200);
    }

    @Test
    @Order(6)
    void aFollowWhoseSandboxDisappearsEndsWithAnError() throws Exception {
        String taskId = runningTask("vanishing", "echo still-here; sleep 600");
        try (EventStream stream = new EventStream(url(leader, "/v1/tasks/" + taskId + "/logs/stdout?follow=true"))) {
            await().atMost(LONG).until(() -> text(stream).equals("still-here\n"));
            deleteTree(FIXTURE.cluster.sandbox(frameworkId, taskId));
            await().atMost(LONG).until(() -> !stream.events("error").isEmpty());
            JsonNode error = stream.events("error").get(0);
            assertThat(error.path("status").asInt()).isEqualTo(410);
            assertThat(error.path("message").asText()).contains("the sandbox is gone");
            assertThat(stream.events("eof")).isEmpty();
        }
    }

    @Test
    @Order(7)
    void aCollectedSandboxIsGone() throws Exception {
        String taskId = finishedTask("collected", "echo soon-collected");
        assertThat(logs(leader, taskId, "stdout", "").statusCode()).isEqualTo(200);
        Path sandbox = FIXTURE.cluster.sandbox(frameworkId, taskId);
        deleteTree(sandbox); // what the agent's garbage collection does to a finished task's sandbox
        assertProblem(logs(leader, taskId, "stdout", ""), 410, "the sandbox is gone");
        assertProblem(logs(follower, taskId, "stdout", ""), 410, "the sandbox is gone");
    }

    @Test
    @Order(8)
    void anAgentThatDoesNotAnswerIs502_andOneRemovedFromTheClusterIs410() {
        String taskId = runningTask("stranded", "sleep 600");
        String agentId = Http.json(Http.get(url(leader, "/v1/tasks/" + taskId))).path("agentId").asText();
        assertThat(logs(leader, taskId, "stdout", "").statusCode()).isEqualTo(200);
        FIXTURE.cluster.stopAgentHttp(agentId);
        long started = System.nanoTime();
        assertProblem(logs(leader, taskId, "stdout", ""), 502, "cannot reach agent " + agentId);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertProblem(logs(follower, taskId, "stdout", ""), 502, "cannot reach agent " + agentId);

        FIXTURE.cluster.removeAgent(agentId);
        assertProblem(logs(leader, taskId, "stdout", ""), 410, "is no longer in the cluster");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    private static HttpResponse<String> logs(DropwizardTestSupport<?> replica, String taskId, String file,
                                             String query) {
        return Http.get(url(replica, "/v1/tasks/" + taskId + "/logs/" + file + query));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        return Http.json(r);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Http.json(r).path("message").asText()).contains(message);
    }

    private static String text(EventStream stream) {
        StringBuilder out = new StringBuilder();
        stream.events("log").forEach(e -> out.append(e.path("data").asText()));
        return out.toString();
    }

    private static String finishedTask(String job, String command) {
        create(job, "BATCH", command);
        return await().atMost(LONG).until(() -> Http.json(Http.get(url(leader, "/v1/tasks?job=" + job
                + "&state=finished"))), t -> t.size() == 1).get(0).path("taskId").asText();
    }

    private static String runningTask(String job, String command) {
        create(job, "BATCH", command);
        return await().atMost(LONG).until(() -> Http.json(Http.get(url(leader, "/v1/tasks?job=" + job
                + "&state=running"))), t -> t.size() == 1).get(0).path("taskId").asText();
    }

    private static void create(String job, String kind, String command) {
        HttpResponse<String> created = Http.post(url(leader, "/v1/jobs"), "{\"id\":\"" + job + "\",\"kind\":\""
                + kind + "\",\"command\":\"" + command + "\",\"resources\":{\"cpus\":0.1,\"memMb\":16}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
}
