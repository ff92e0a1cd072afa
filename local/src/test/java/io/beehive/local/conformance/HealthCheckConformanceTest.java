package io.beehive.local.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.beehive.local.conformance.TaskUpdates.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health checks of the command executor (TaskInfo.health_check) against the recorded 1.11 traces 06 and 07: the
 * updates of a task, normalized (ids, uuids, timestamps, pids), must be the trace's updates of the task with the
 * same id, one for one and byte for byte, so the keys, their order and every value are compared. The checks run
 * faster than in the traces (delay and interval 0.5 s); timings are asserted as lower bounds from the agent's
 * timestamps, which a busy machine cannot make early. Results are also counted in the sandbox {@code stderr},
 * where the executor logs each one, to know that checks kept running while nothing was reported.
 */
class HealthCheckConformanceTest extends ClusterPerTest {

    static final String TRACE_06 = "06-health-command.txt";
    static final String TRACE_07 = "07-health-http-tcp.txt";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Timestamps are in milliseconds; the grace clock starts just before TASK_STARTING's timestamp is taken. */
    static final double CLOCK_SLACK = 0.05;

    /** The traces' framework: TASK_KILLING_STATE decides whether a kill shows TASK_KILLING. */
    static FrameworkInfo traceFramework() {
        return Calls.partitionAware("health").addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build();
    }

    /** The traces' settings made quicker: first check after 0.5 s, then every 0.5 s, 3 failures kill. */
    static HealthCheck.Builder quickCheck(HealthCheck.Type type) {
        return HealthCheck.newBuilder().setType(type).setDelaySeconds(0.5).setIntervalSeconds(0.5)
                .setTimeoutSeconds(5).setConsecutiveFailures(3).setGracePeriodSeconds(1.2);
    }

    static HealthCheck.Builder commandCheck(String command) {
        return quickCheck(HealthCheck.Type.COMMAND).setCommand(CommandInfo.newBuilder().setValue(command));
    }

    static TaskInfo task(Offer offer, String taskId, String command, HealthCheck.Builder check) {
        return Calls.task(taskId, offer, command).toBuilder().setHealthCheck(check).build();
    }

    static TaskInfo taskWithPort(Offer offer, String taskId, String command, HealthCheck.Builder check, int port) {
        return task(offer, taskId, command, check).toBuilder().addResources(Resource.newBuilder().setName("ports")
                .setType(Value.Type.RANGES).setRanges(Value.Ranges.newBuilder()
                        .addRange(Value.Range.newBuilder().setBegin(port).setEnd(port)))).build();
    }

    /** A port of the agent's range that nothing on this machine listens on right now. */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 31000 + ThreadLocalRandom.current().nextInt(1001);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new AssertionError("no free port in 31000-32000");
    }

    Path stderrOf(RawScheduler fw, String taskId) {
        return cluster.sandbox(fw.frameworkId, taskId).resolve("stderr");
    }

    long linesOf(RawScheduler fw, String taskId, String containing) {
        try {
            Path file = stderrOf(fw, taskId);
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains(containing)).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until the executor has logged {@code count} lines holding {@code text} in the task's sandbox. */
    void awaitLogLines(RawScheduler fw, String taskId, String text, long count) {
        await(count + " × '" + text + "' in the stderr of " + taskId).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> linesOf(fw, taskId, text) >= count);
    }

    /** The task's updates, normalized, are those of the same task in the trace, in the same order. */
    static void assertSameAsTrace(List<Subscription.Received> actual, String trace, String taskId) {
        List<String> expected = TraceFile.updatesOf(trace, taskId).stream()
                .map(e -> Normalizer.normalize(e.json())).toList();
        assertThat(expected).as("updates of %s in %s", taskId, trace).isNotEmpty();
        List<String> got = actual.stream().map(r -> Normalizer.normalize(r.record().text())).toList();
        assertThat(got).as("updates of %s compared with %s", taskId, trace).containsExactlyElementsOf(expected);
    }

    static void assertHealthUpdate(TaskStatus status, boolean healthy) {
        assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(status.hasHealthy()).isTrue();
        assertThat(status.getHealthy()).isEqualTo(healthy);
        assertThat(status.hasMessage()).isFalse();
    }

    @Test
    void commandTrue_oneHealthyUpdate_noRepeatsWhileChecksPass_andAKillCarriesNoHealthy() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "health-ok", "sleep 600", commandCheck("true")));
            TaskUpdates updates = new TaskUpdates(fw, "health-ok");
            updates.next(TaskState.TASK_STARTING, WAIT);
            TaskStatus running = status(updates.next(TaskState.TASK_RUNNING, WAIT));
            TaskStatus healthy = status(updates.next(WAIT));
            assertHealthUpdate(healthy, true);
            assertThat(healthy.getTimestamp() - running.getTimestamp()).as("first check after delay_seconds")
                    .isGreaterThanOrEqualTo(0.5 - CLOCK_SLACK);

            // four more passing checks, and nothing reported for them
            awaitLogLines(fw, "health-ok", "COMMAND health check for task 'health-ok' returned: 0", 5);
            assertThat(updates.settled()).hasSize(3);
            assertThat(updates.lastReconciliationAnswer().getHealthy()).as("reconciliation tells the latest health")
                    .isTrue();

            fw.call(Calls.kill(fw.frameworkId, "health-ok", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertSameAsTrace(updates.received(), TRACE_06, "health-ok");
        }
    }

    @Test
    void commandFalse_unhealthyAfterTheGrace_consecutiveFailuresThenKilledWithHealthyFalse() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "health-fail", PID_THEN_SLEEP, commandCheck("false")));
            TaskUpdates updates = new TaskUpdates(fw, "health-fail");
            TaskStatus starting = status(updates.next(TaskState.TASK_STARTING, WAIT));
            updates.next(TaskState.TASK_RUNNING, WAIT);
            TaskStatus first = status(updates.next(WAIT));
            TaskStatus second = status(updates.next(WAIT));
            TaskStatus third = status(updates.next(WAIT));
            for (TaskStatus unhealthy : List.of(first, second, third)) {
                assertHealthUpdate(unhealthy, false);
            }
            assertThat(first.getTimestamp() - starting.getTimestamp()).as("first failure counted after the grace")
                    .isGreaterThanOrEqualTo(1.2 - CLOCK_SLACK);
            assertThat(second.getTimestamp() - first.getTimestamp()).as("interval").isGreaterThanOrEqualTo(0.5 - CLOCK_SLACK);
            assertThat(third.getTimestamp() - second.getTimestamp()).as("interval").isGreaterThanOrEqualTo(0.5 - CLOCK_SLACK);
            updates.next(TaskState.TASK_KILLING, WAIT);
            TaskStatus killed = status(updates.next(TaskState.TASK_KILLED, WAIT));
            assertThat(killed.hasReason()).isFalse();
            assertThat(killed.getHealthy()).isFalse();
            assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Terminated");
            assertSameAsTrace(updates.received(), TRACE_06, "health-fail");

            long pid = taskPid(fw.frameworkId, "health-fail").orElseThrow();
            await().atMost(WAIT).until(() -> !alive(pid));
            assertThat(linesOf(fw, "health-fail", "Ignoring failure of COMMAND health check for task 'health-fail': "
                    + "still in grace period")).as("checks ran inside the grace period").isPositive();
            assertThat(linesOf(fw, "health-fail", "failed 3 times consecutively")).isEqualTo(1);
        }
    }

    @Test
    void passThenFail_healthyThenUnhealthyAtOnceDespiteTheGrace_thenKilled() throws IOException {
        Path checkFile = workDir.resolve("check-file");
        Files.writeString(checkFile, "ok");
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            // a grace period longer than the test: once healthy, failures count at once (Mesos: "initializing")
            fw.launch(offer -> task(offer, "health-flip", "sleep 600",
                    commandCheck("test -f " + checkFile).setGracePeriodSeconds(600)));
            TaskUpdates updates = new TaskUpdates(fw, "health-flip");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            assertHealthUpdate(status(updates.next(WAIT)), true);
            awaitLogLines(fw, "health-flip", "returned: 0", 3);
            assertThat(updates.settled()).as("still healthy: nothing new").hasSize(3);

            Files.delete(checkFile);
            for (int i = 0; i < 3; i++) {
                assertHealthUpdate(status(updates.next(WAIT)), false);
            }
            updates.next(TaskState.TASK_KILLING, WAIT);
            TaskStatus killed = status(updates.next(TaskState.TASK_KILLED, WAIT));
            assertThat(killed.getHealthy()).isFalse();
            assertSameAsTrace(updates.received(), TRACE_06, "health-flip");
        }
    }

    @Test
    void failuresInsideTheGracePeriodAreNotReported() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "graceful", "sleep 600", commandCheck("false")
                    .setDelaySeconds(0.2).setIntervalSeconds(0.3).setGracePeriodSeconds(3).setConsecutiveFailures(2)));
            TaskUpdates updates = new TaskUpdates(fw, "graceful");
            TaskStatus starting = status(updates.next(TaskState.TASK_STARTING, WAIT));
            updates.next(TaskState.TASK_RUNNING, WAIT);
            TaskStatus first = status(updates.next(WAIT));
            assertHealthUpdate(first, false);
            assertThat(first.getTimestamp() - starting.getTimestamp()).as("nothing reported inside the 3 s grace")
                    .isGreaterThanOrEqualTo(3 - CLOCK_SLACK);
            assertThat(linesOf(fw, "graceful", "still in grace period")).as("failed checks ignored in the grace")
                    .isGreaterThanOrEqualTo(2);
            assertHealthUpdate(status(updates.next(WAIT)), false);
            updates.next(TaskState.TASK_KILLING, WAIT);
            assertThat(status(updates.next(TaskState.TASK_KILLED, WAIT)).getHealthy()).isFalse();
        }
    }

    @Test
    void httpCheckOnAPythonServer_healthyOnce_getsGetSlashHttp11_andAKillCarriesNoHealthy() throws IOException {
        int port = freePort();
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            // the scheduler puts the port into the command line: the task gets no PORT0 (trace 07 env-probe)
            fw.launch(offer -> taskWithPort(offer, "http-ok", "python3 -m http.server --bind 127.0.0.1 " + port,
                    quickCheck(HealthCheck.Type.HTTP).setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(port)
                            .setPath("/")).setGracePeriodSeconds(30), port));
            TaskUpdates updates = new TaskUpdates(fw, "http-ok");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            assertHealthUpdate(status(updates.next(WAIT)), true);
            awaitLogLines(fw, "http-ok", "HTTP health check for task 'http-ok' returned: 200", 4);
            assertThat(updates.settled()).hasSize(3);
            assertThat(Files.readString(stderrOf(fw, "http-ok"))).as("http.server's log of the checks")
                    .containsPattern("127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET / HTTP/1\\.1\" 200 -");

            fw.call(Calls.kill(fw.frameworkId, "http-ok", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertSameAsTrace(updates.received(), TRACE_07, "http-ok");
        }
    }

    @Test
    void httpCheckAnsweredWith404_countsAsFailed_andKillsTheTaskLikeAFailingCommand() throws IOException {
        // a server that is up before the task starts, so every check meets the 404 (no grace needed)
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> taskWithPort(offer, "http-404", "sleep 600",
                    quickCheck(HealthCheck.Type.HTTP).setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(port)
                            .setPath("/health")).setGracePeriodSeconds(0), port));
            TaskUpdates updates = new TaskUpdates(fw, "http-404");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            for (int i = 0; i < 3; i++) {
                assertHealthUpdate(status(updates.next(WAIT)), false);
            }
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertThat(updates.received()).extracting(r -> StatusShape.of(r.record().text()))
                    .containsExactlyElementsOf(TraceFile.updatesOf(TRACE_06, "health-fail").stream()
                            .map(e -> StatusShape.of(e.json())).toList());
            assertThat(linesOf(fw, "http-404", "HTTP health check for task 'http-404' returned: 404")).isEqualTo(3);
            assertThat(linesOf(fw, "http-404", "failed: Unexpected HTTP response code: 404")).isEqualTo(3);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void tcpCheckOnAListeningPort_healthyOnce_andAKillCarriesNoHealthy() {
        int port = freePort();
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> taskWithPort(offer, "tcp-ok", "python3 -m http.server --bind 127.0.0.1 " + port,
                    quickCheck(HealthCheck.Type.TCP).setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(port))
                            .setGracePeriodSeconds(30), port));
            TaskUpdates updates = new TaskUpdates(fw, "tcp-ok");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            assertHealthUpdate(status(updates.next(WAIT)), true);
            awaitLogLines(fw, "tcp-ok", "TCP health check for task 'tcp-ok' returned: 1", 4);
            assertThat(updates.settled()).hasSize(3);

            fw.call(Calls.kill(fw.frameworkId, "tcp-ok", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertSameAsTrace(updates.received(), TRACE_07, "tcp-ok");
        }
    }

    @Test
    void tcpCheckOnAClosedPort_killsTheTask() {
        int port = freePort();
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> taskWithPort(offer, "tcp-fail", "sleep 600",
                    quickCheck(HealthCheck.Type.TCP).setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(port)), port));
            TaskUpdates updates = new TaskUpdates(fw, "tcp-fail");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            for (int i = 0; i < 3; i++) {
                assertHealthUpdate(status(updates.next(WAIT)), false);
            }
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertSameAsTrace(updates.received(), TRACE_07, "tcp-fail");
            assertThat(linesOf(fw, "tcp-fail", "TCP health check for task 'tcp-fail' failed: TCP connection failed"))
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aCheckOutlivingItsTimeoutIsKilledAndCountsAsFailed() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "check-timeout", "sleep 600", commandCheck("echo $$ >> check-pids; exec sleep 600")
                    .setDelaySeconds(0.2).setIntervalSeconds(0.2).setTimeoutSeconds(0.5).setGracePeriodSeconds(0)
                    .setConsecutiveFailures(2)));
            TaskUpdates updates = new TaskUpdates(fw, "check-timeout");
            TaskStatus starting = status(updates.next(TaskState.TASK_STARTING, WAIT));
            updates.next(TaskState.TASK_RUNNING, WAIT);
            TaskStatus first = status(updates.next(WAIT));
            assertHealthUpdate(first, false);
            assertThat(first.getTimestamp() - starting.getTimestamp()).as("delay + timeout")
                    .isGreaterThanOrEqualTo(0.7 - CLOCK_SLACK);
            assertHealthUpdate(status(updates.next(WAIT)), false);
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertThat(linesOf(fw, "check-timeout", "failed: Command timed out after 500ms")).isEqualTo(2);
            List<Long> checkPids = checkPids(fw, "check-timeout");
            assertThat(checkPids).hasSize(2);
            await("timed-out check processes gone").atMost(WAIT).until(() -> checkPids.stream().noneMatch(ClusterTestBase::alive));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KILL", "TEARDOWN"})
    void aCheckInFlightIsKilledWhenTheTaskEnds_andNoCheckThreadIsLeftBehind(String how) {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            // timeout 0 = none (Mesos): only the end of the task can end this check
            fw.launch(offer -> task(offer, "stuck-check", "sleep 600", commandCheck("echo $$ >> check-pids; exec sleep 600")
                    .setDelaySeconds(0.1).setTimeoutSeconds(0)));
            TaskUpdates updates = new TaskUpdates(fw, "stuck-check");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            await().atMost(WAIT).until(() -> checkPids(fw, "stuck-check").size() == 1);
            long checkPid = checkPids(fw, "stuck-check").get(0);
            assertThat(alive(checkPid)).isTrue();
            if (how.equals("KILL")) {
                fw.call(Calls.kill(fw.frameworkId, "stuck-check", null));
                updates.next(TaskState.TASK_KILLING, WAIT);
                TaskStatus killed = status(updates.next(TaskState.TASK_KILLED, WAIT));
                assertThat(killed.hasHealthy()).as("never checked: no health").isFalse();
            } else {
                fw.call(Calls.teardown(fw.frameworkId));
            }
            await("the check process ends with its task").atMost(WAIT).until(() -> !alive(checkPid));
            await("no probe thread left").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.isAlive() && t.getName().startsWith("task-probe-")));
            assertThat(checkPids(fw, "stuck-check")).hasSize(1);
        }
    }

    @Test
    void aTaskThatExitsStopsItsChecks_andItsTerminalUpdateCarriesNoHealthy() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "short", "sleep 1.5", commandCheck("true").setDelaySeconds(0.2)
                    .setIntervalSeconds(0.2)));
            TaskUpdates updates = new TaskUpdates(fw, "short");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            assertHealthUpdate(status(updates.next(WAIT)), true);
            TaskStatus finished = status(updates.next(TaskState.TASK_FINISHED, WAIT));
            assertThat(finished.hasHealthy()).isFalse();
            assertThat(finished.getMessage()).isEqualTo("Command exited with status 0");
            assertThat(linesOf(fw, "short", "Stopped COMMAND health check for task 'short'")).isEqualTo(1);
        }
    }

    @Test
    void anInvalidHealthCheckIsRefusedWithTaskError() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "no-http", "sleep 600", quickCheck(HealthCheck.Type.HTTP)));
            TaskStatus error = fw.stream.awaitUpdate("no-http", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(error.getMessage())
                    .isEqualTo("Task uses invalid health check: Expecting 'http' to be set for HTTP health check");
            assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        }
    }

    List<Long> checkPids(RawScheduler fw, String taskId) {
        try {
            Path file = cluster.sandbox(fw.frameworkId, taskId).resolve("check-pids");
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                    .map(l -> Long.parseLong(l.trim())).toList() : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
