package io.beehive.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local master against trace 11, recorded from a real 1.11 master and agent: the same steps, the same shapes
 * (keys and their order), the same status codes and texts.
 */
@EnabledIf("traceRecorded")
class OperatorTraceFidelityTest extends ClusterPerClass {

    private static final String TRACE = "11-operator-endpoints.txt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordedSections trace = traceRecorded() ? RecordedSections.of(TRACE) : null;

    /**
     * Trace 11 is recorded with {@code local/real-mesos/record_11.py} against a real master built per
     * {@code ../shared/real-mesos/}; until it is, these comparisons do not run.
     */
    static boolean traceRecorded() {
        return OperatorTraceFidelityTest.class.getResource("/conformance/traces/" + TRACE) != null;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode get(java.net.URI base, String path) {
        HttpMessage r = HttpWire.exchange(base, "GET", path, Map.of(), null);
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(200);
        return json(r.bodyText());
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static JsonNode byId(JsonNode array, String id) {
        for (JsonNode n : array) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no " + id + " in " + array);
    }

    /** Steps (b) and (c) of the recorder: t-done finishes, t-sleep runs, all acknowledged. */
    private RawScheduler doneAndSleeping(String name) {
        RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON,
                Calls.framework(name).setFailoverTimeout(60).build());
        Offer offer = fw.heldOffer();
        fw.call(Calls.launch(fw.frameworkId, List.of(offer.getId()), 0.0,
                Calls.task("t-done", offer, "true"), Calls.task("t-sleep", offer, "sleep 1000")));
        fw.awaitAndAck("t-done", TaskState.TASK_STARTING);
        fw.awaitAndAck("t-done", TaskState.TASK_RUNNING);
        fw.awaitAndAck("t-done", TaskState.TASK_FINISHED);
        fw.awaitAndAck("t-sleep", TaskState.TASK_STARTING);
        fw.awaitAndAck("t-sleep", TaskState.TASK_RUNNING);
        return fw;
    }

    @Test
    void stateFrameworksAndTasksHaveTheRealKeys() {
        JsonNode real = json(trace.get("(c) /master/state").body()).path("frameworks").get(0);
        JsonNode realDone = byId(real.path("completed_tasks"), "t-done");
        JsonNode realSleep = byId(real.path("tasks"), "t-sleep");
        try (RawScheduler fw = doneAndSleeping("trace-11")) {
            await().atMost(LONG).until(() -> byId(get(master, "/master/state").path("frameworks"), fw.frameworkId)
                    .path("completed_tasks").size() == 1);
            JsonNode local = byId(get(master, "/master/state").path("frameworks"), fw.frameworkId);
            assertThat(keys(local)).isEqualTo(keys(real));
            assertThat(local.path("role").asText()).isEqualTo(real.path("role").asText());
            assertThat(local.path("offer_constraints")).isEqualTo(real.path("offer_constraints"));
            JsonNode localDone = byId(local.path("completed_tasks"), "t-done");
            assertThat(keys(localDone)).isEqualTo(keys(realDone));
            assertThat(localDone.path("statuses").findValuesAsText("state"))
                    .isEqualTo(realDone.path("statuses").findValuesAsText("state"));
            assertThat(keys(localDone.path("statuses").get(0))).isEqualTo(keys(realDone.path("statuses").get(0)));
            assertThat(keys(byId(local.path("tasks"), "t-sleep"))).isEqualTo(keys(realSleep));

            JsonNode realFrameworks = json(trace.get("(c) /master/frameworks").body());
            JsonNode localFrameworks = get(master, "/master/frameworks");
            assertThat(keys(localFrameworks)).isEqualTo(keys(realFrameworks));

            JsonNode realTasks = json(trace.get("(c) /master/tasks").body());
            JsonNode localTasks = get(master, "/master/tasks?framework_id=" + fw.frameworkId);
            assertThat(keys(localTasks)).isEqualTo(keys(realTasks));
            // t-done and t-sleep start together: which one's first status is older is a race, on both masters
            assertThat(localTasks.path("tasks").findValuesAsText("id"))
                    .containsExactlyInAnyOrderElementsOf(realTasks.path("tasks").findValuesAsText("id"));
            assertThat(keys(localTasks.path("tasks").get(0))).isEqualTo(keys(realTasks.path("tasks").get(0)));
            assertThat(get(master, "/master/tasks?limit=1&offset=1&order=asc&framework_id=" + fw.frameworkId)
                    .path("tasks")).hasSameSizeAs(json(trace.get("(c) /master/tasks?limit=1").body()).path("tasks"));

            // a fail-over shows as reregistered_time (step f)
            JsonNode realFailedOver = json(trace.get("(f) /master/frameworks after the fail-over").body())
                    .path("frameworks").get(0);
            try (RawScheduler again = fw.resubscribe(Calls.framework("trace-11").setFailoverTimeout(60).build())) {
                JsonNode failedOver = byId(get(master, "/master/frameworks").path("frameworks"), fw.frameworkId);
                assertThat(keys(failedOver)).isEqualTo(keys(realFailedOver));
                again.call(Calls.teardown(fw.frameworkId));
            }
        }
    }

    @Test
    void metricsAndAgentStatisticsHaveTheRealKeys() {
        try (RawScheduler fw = doneAndSleeping("trace-11-metrics")) {
            JsonNode real = json(trace.get("(c) /metrics/snapshot").body());
            JsonNode local = get(master, "/metrics/snapshot");
            assertThat(keys(real)).containsAll(keys(local));
            assertThat(local.path("master/elected")).isEqualTo(real.path("master/elected"));

            java.net.URI agent = cluster.agentUri(cluster.agentIds().get(0));
            JsonNode realStats = json(trace.get("(c) agent /monitor/statistics").body());
            JsonNode localStats = get(agent, "/monitor/statistics");
            JsonNode realSleep = entryWith(realStats, "executor_id", "t-sleep");
            JsonNode localSleep = entryWith(localStats, "executor_id", "t-sleep");
            assertThat(keys(localSleep)).isEqualTo(keys(realSleep));
            assertThat(keys(localSleep.path("statistics"))).isEqualTo(keys(realSleep.path("statistics")));
            assertThat(localSleep.path("executor_name")).isEqualTo(realSleep.path("executor_name"));
            assertThat(localSleep.path("statistics").path("cpus_limit"))
                    .isEqualTo(realSleep.path("statistics").path("cpus_limit"));
            assertThat(localSleep.path("statistics").path("mem_limit_bytes"))
                    .isEqualTo(realSleep.path("statistics").path("mem_limit_bytes"));
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    /** The element of a JSON array whose {@code key} is {@code value}. */
    private static JsonNode entryWith(JsonNode array, String key, String value) {
        for (JsonNode e : array) {
            if (e.path(key).asText().equals(value)) {
                return e;
            }
        }
        throw new AssertionError("no element with " + key + " " + value + " in " + array);
    }

    @Test
    void teardownAnswersAsRecorded() {
        RawScheduler fw = doneAndSleeping("trace-11-teardown");
        for (String title : List.of("(g) GET /master/teardown", "(g) POST /master/teardown, empty body",
                "(g) POST /master/teardown frameworkId=nope", "(g) POST /master/teardown frameworkId=%25zz",
                "(g) POST /master/teardown frameworkId=<the framework>",
                "(g) POST /master/teardown of the completed framework")) {
            RecordedSections.Section real = trace.get(title);
            String body = title.contains("empty body") || title.startsWith("(g) GET") ? null
                    : title.contains("nope") ? "frameworkId=nope"
                    : title.contains("%25zz") ? "frameworkId=%zz" : "frameworkId=" + fw.frameworkId;
            HttpMessage local = body == null && title.startsWith("(g) GET")
                    ? HttpWire.exchange(master, "GET", "/master/teardown", Map.of(), null)
                    : HttpWire.exchange(master, "POST", "/master/teardown",
                            Map.of("Content-Type", "application/x-www-form-urlencoded"),
                            (body == null ? "" : body).getBytes(StandardCharsets.UTF_8));
            assertThat(local.status()).as("%s: %s", title, local).isEqualTo(real.status());
            assertThat(local.bodyText().strip()).as(title).isEqualTo(real.body());
            assertThat(local.header("Content-Type").orElse(null)).as(title).isEqualTo(real.header("Content-Type"));
            if (title.contains("<the framework>")) {
                fw.stream.awaitEnd(LONG);
            }
        }
        JsonNode realCompleted = json(trace.get("(g) /master/state after the teardown").body())
                .path("completed_frameworks").get(0);
        JsonNode completed = byId(get(master, "/master/state").path("completed_frameworks"), fw.frameworkId);
        // the recorded framework had failed over first (step f), so it also has reregistered_time
        List<String> realKeys = new ArrayList<>(keys(realCompleted));
        realKeys.remove("reregistered_time");
        assertThat(keys(completed)).isEqualTo(realKeys);
        assertThat(completed.path("active")).isEqualTo(realCompleted.path("active"));
        assertThat(completed.path("connected")).isEqualTo(realCompleted.path("connected"));
        JsonNode realKilled = byId(realCompleted.path("completed_tasks"), "t-sleep");
        JsonNode killed = byId(completed.path("completed_tasks"), "t-sleep");
        assertThat(killed.path("state")).isEqualTo(realKilled.path("state"));
        assertThat(killed.path("statuses").findValuesAsText("state"))
                .isEqualTo(realKilled.path("statuses").findValuesAsText("state"));
        // the recorded framework also ran t-one (step d2): both list the finished and the killed task, and
        // neither the tasks refused with TASK_ERROR
        assertThat(realCompleted.path("completed_tasks").findValuesAsText("id")).contains("t-done", "t-sleep")
                .doesNotContain("t-big", "t-over");
        assertThat(completed.path("completed_tasks").findValuesAsText("id"))
                .containsExactlyInAnyOrder("t-done", "t-sleep");
        fw.close();
    }

    @Test
    void aFrameworkPastItsFailoverTimeoutKeepsItsTasksKilled() {
        RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON,
                Calls.framework("trace-11-timeout").setFailoverTimeout(2).build());
        fw.launchRunning("t-orphan", "sleep 1000");
        fw.close();
        JsonNode real = json(trace.get("(h) /master/frameworks after the failover timeout").body());
        JsonNode realCompleted = entryWith(real.path("completed_frameworks"), "name", "trace-11-timeout");
        await().atMost(LONG).untilAsserted(() -> {
            JsonNode completed = byId(get(master, "/master/frameworks").path("completed_frameworks"), fw.frameworkId);
            JsonNode task = byId(completed.path("completed_tasks"), "t-orphan");
            JsonNode realTask = byId(realCompleted.path("completed_tasks"), "t-orphan");
            assertThat(task.path("state")).isEqualTo(realTask.path("state"));
            assertThat(task.path("statuses").findValuesAsText("state"))
                    .isEqualTo(realTask.path("statuses").findValuesAsText("state"));
        });
    }

    @Test
    void acknowledgeWithMalformedUuidsIsRefusedWithTheRealText() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("trace-11-ack").build())) {
            String agentId = cluster.agentIds().get(0);
            for (String[] c : new String[][] {{"(e) ACKNOWLEDGE with a 3-byte uuid", "AAAA"},
                    {"(e) ACKNOWLEDGE with 16 zero bytes", "AAAAAAAAAAAAAAAAAAAAAA=="}}) {
                RecordedSections.Section real = trace.get(c[0]);
                String body = "{\"type\":\"ACKNOWLEDGE\",\"framework_id\":{\"value\":\"" + fw.frameworkId + "\"},"
                        + "\"acknowledge\":{\"agent_id\":{\"value\":\"" + agentId + "\"},\"task_id\":{\"value\":"
                        + "\"t-sleep\"},\"uuid\":\"" + c[1] + "\"}}";
                HttpMessage local = HttpWire.post(master, "application/json", body.getBytes(StandardCharsets.UTF_8),
                        Map.of("Mesos-Stream-Id", fw.stream.streamId()));
                assertThat(local.status()).as(c[0]).isEqualTo(real.status());
                assertThat(local.bodyText()).as(c[0]).isEqualTo(real.body());
            }
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    @Test
    void aTaskLargerThanWhatIsLeftOfItsOfferGetsTheRealText() {
        // (d2): a task of (offered cpus - 0.5) and 32 MB, then one of 1 cpu and 64 MB that no longer fits
        RecordedSections.Section real = trace.get("(d2)");
        String realText = json(real.line("[event] ")).path("update").path("status").path("message").asText();
        JsonNode realOffer = json(real.line("[offer] "));
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("trace-11-big").build())) {
            Offer offer = fw.heldOffer();
            TaskInfo one = Calls.task("t-one", offer, "sleep 1000").toBuilder().clearResources()
                    .addResources(Calls.scalar("cpus", scalar(offer, "cpus") - 0.5))
                    .addResources(Calls.scalar("mem", 32)).build();
            TaskInfo over = Calls.task("t-over", offer, "true").toBuilder().clearResources()
                    .addResources(Calls.scalar("cpus", 1.0)).addResources(Calls.scalar("mem", 64)).build();
            fw.call(Calls.launch(fw.frameworkId, List.of(offer.getId()), 0.0, one, over));
            TaskStatus error = fw.stream.awaitUpdate("t-over", TaskState.TASK_ERROR).getUpdate().getStatus();
            // what is left of mem and disk depends on the offer: the recorded offer's figures become this one's
            String expected = realText;
            for (String name : List.of("mem", "disk")) {
                double used = name.equals("mem") ? 32 : 0;
                expected = expected.replace(name + "(allocated: *):" + fmt(recordedScalar(realOffer, name) - used),
                        name + "(allocated: *):" + fmt(scalar(offer, name) - used));
            }
            assertThat(error.getMessage()).isEqualTo(expected);
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    private static double scalar(Offer offer, String name) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals(name)).findFirst().orElseThrow()
                .getScalar().getValue();
    }

    private static double recordedScalar(JsonNode offer, String name) {
        for (JsonNode r : offer.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r.path("scalar").path("value").asDouble();
            }
        }
        throw new AssertionError("no " + name + " in " + offer);
    }

    private static String fmt(double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 1000) / 1000.0).stripTrailingZeros().toPlainString();
    }
}
