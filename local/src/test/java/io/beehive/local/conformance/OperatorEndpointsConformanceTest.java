package io.beehive.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The master's operator endpoints as a real 1.11 master answers them (trace 11): framework objects of
 * {@code /master/state} and {@code /master/frameworks} key for key, finished tasks in {@code completed_tasks},
 * {@code /master/tasks}, {@code /metrics/snapshot}, and {@code POST /master/teardown}.
 */
class OperatorEndpointsConformanceTest extends ClusterPerClass {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The keys of an HTTP framework without principal or labels, in the real master's order (trace 11). */
    static final List<String> FRAMEWORK_KEYS = List.of("id", "name", "used_resources", "offered_resources",
            "capabilities", "hostname", "webui_url", "active", "connected", "recovered", "user", "failover_timeout",
            "checkpoint", "registered_time", "unregistered_time", "resources", "role", "tasks", "unreachable_tasks",
            "completed_tasks", "offers", "executors", "offer_constraints");

    private JsonNode get(String path) {
        HttpMessage r = HttpWire.exchange(master, "GET", path, Map.of(), null);
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(200);
        assertThat(r.header("Content-Type")).contains("application/json");
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode byId(JsonNode array, String id) {
        for (JsonNode n : array) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no " + id + " in " + array);
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private HttpMessage teardown(String body) {
        return HttpWire.exchange(master, "POST", "/master/teardown",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void frameworkObjectsHaveTheRealKeysAndFinishedTasksMoveToCompletedTasks() {
        FrameworkInfo info = Calls.framework("keys").setFailoverTimeout(60).build();
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, info)) {
            fw.launch("done-1", "true");
            fw.awaitAndAck("done-1", TaskState.TASK_STARTING);
            fw.awaitAndAck("done-1", TaskState.TASK_RUNNING);
            fw.awaitAndAck("done-1", TaskState.TASK_FINISHED);
            fw.quiesce();
            await().atMost(LONG).untilAsserted(() -> {
                JsonNode framework = byId(get("/master/state").path("frameworks"), fw.frameworkId);
                assertThat(framework.path("tasks")).isEmpty();
                assertThat(framework.path("completed_tasks")).hasSize(1);
            });
            JsonNode framework = byId(get("/master/state").path("frameworks"), fw.frameworkId);
            assertThat(keys(framework)).as("an HTTP framework has no pid").isEqualTo(FRAMEWORK_KEYS);
            assertThat(framework.path("role").asText()).isEqualTo("*");
            assertThat(framework.path("unregistered_time").asDouble()).isZero();
            assertThat(framework.path("offer_constraints").isObject()).isTrue();
            JsonNode task = framework.path("completed_tasks").get(0);
            assertThat(task.path("state").asText()).isEqualTo("TASK_FINISHED");
            assertThat(task.path("statuses").findValuesAsText("state"))
                    .containsExactly("TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED");
            // microseconds, as libprocess' Clock prints them: not all three statuses can end in 000 µs by chance
            assertThat(task.path("statuses").findValues("timestamp")).extracting(JsonNode::decimalValue)
                    .anyMatch(t -> t.movePointRight(6).remainder(java.math.BigDecimal.valueOf(1000)).signum() != 0);

            // /master/frameworks prints the same object
            JsonNode frameworks = get("/master/frameworks?framework_id=" + fw.frameworkId);
            assertThat(keys(frameworks)).containsExactly("frameworks", "completed_frameworks", "unregistered_frameworks");
            assertThat(frameworks.path("frameworks")).hasSize(1);
            assertThat(keys(frameworks.path("frameworks").get(0))).isEqualTo(FRAMEWORK_KEYS);

            // a fail-over shows as reregistered_time, after registered_time
            try (RawScheduler again = fw.resubscribe(info)) {
                JsonNode failedOver = byId(get("/master/state").path("frameworks"), fw.frameworkId);
                assertThat(failedOver.path("reregistered_time").asDouble())
                        .isGreaterThan(failedOver.path("registered_time").asDouble());
                again.call(Calls.teardown(fw.frameworkId));
            }
        }
    }

    @Test
    void tasksEndpointListsActiveAndCompletedTasksNewestFirst() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("tasks").build())) {
            fw.launch("first", "true");
            fw.awaitAndAck("first", TaskState.TASK_STARTING);
            fw.awaitAndAck("first", TaskState.TASK_RUNNING);
            fw.awaitAndAck("first", TaskState.TASK_FINISHED);
            fw.launchRunning("second", PID_THEN_SLEEP);
            JsonNode tasks = get("/master/tasks?framework_id=" + fw.frameworkId);
            assertThat(keys(tasks)).containsExactly("tasks");
            assertThat(tasks.path("tasks").findValuesAsText("id")).containsExactly("second", "first");
            assertThat(get("/master/tasks?order=asc&framework_id=" + fw.frameworkId).path("tasks")
                    .findValuesAsText("id")).containsExactly("first", "second");
            assertThat(get("/master/tasks?limit=1&offset=1&framework_id=" + fw.frameworkId).path("tasks")
                    .findValuesAsText("id")).containsExactly("first");
            assertThat(get("/master/tasks?task_id=second").path("tasks").get(0).path("state").asText())
                    .isEqualTo("TASK_RUNNING");
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    @Test
    void metricsSnapshotCountsFrameworksAndTasks() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("metrics").build())) {
            fw.launchRunning("counted", PID_THEN_SLEEP);
            JsonNode metrics = get("/metrics/snapshot");
            assertThat(metrics.path("master/elected").asDouble()).isEqualTo(1.0);
            assertThat(metrics.path("master/frameworks_active").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(metrics.path("master/tasks_running").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(metrics.path("master/slaves_active").asDouble()).isEqualTo(1.0);
            assertThat(keys(metrics)).isSorted();
            double killedBefore = metrics.path("master/tasks_killed").asDouble();
            fw.call(Calls.kill(fw.frameworkId, "counted", null));
            fw.awaitAndAck("counted", TaskState.TASK_KILLED);
            assertThat(get("/metrics/snapshot").path("master/tasks_killed").asDouble()).isEqualTo(killedBefore + 1);
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    @Test
    void operatorTeardownKillsTheTasksAndCompletesTheFramework() {
        RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON,
                Calls.framework("torn").setFailoverTimeout(60).build());
        long pid = launchSleeper(fw, "victim");

        HttpMessage r = teardown("frameworkId=" + fw.frameworkId);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        fw.stream.awaitEnd(LONG);
        await().atMost(LONG).until(() -> !alive(pid));

        JsonNode state = get("/master/state");
        assertThat(state.path("frameworks").findValuesAsText("id")).doesNotContain(fw.frameworkId);
        JsonNode completed = byId(state.path("completed_frameworks"), fw.frameworkId);
        assertThat(completed.path("active").asBoolean()).isFalse();
        assertThat(completed.path("connected").asBoolean()).isFalse();
        assertThat(completed.path("unregistered_time").asDouble()).isPositive();
        JsonNode task = byId(completed.path("completed_tasks"), "victim");
        assertThat(task.path("state").asText()).isEqualTo("TASK_KILLED");
        assertThat(task.path("statuses").findValuesAsText("state")).endsWith("TASK_KILLED");

        // a framework no longer registered is not found, whether it existed or not
        assertError(teardown("frameworkId=" + fw.frameworkId), 400, "No framework found with specified ID");
        assertError(teardown("frameworkId=nope"), 400, "No framework found with specified ID");
        assertError(teardown("framework=x"), 400, "Missing 'frameworkId' query parameter in the request body");
        HttpMessage get = HttpWire.exchange(master, "GET", "/master/teardown", Map.of(), null);
        assertError(get, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
        fw.close();
    }

    private static void assertError(HttpMessage r, int status, String body) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.bodyText()).isEqualTo(body);
        assertThat(r.header("Content-Type")).contains("text/plain; charset=utf-8");
    }
}
