package io.beehive.local.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

import static io.beehive.local.conformance.HealthCheckConformanceTest.WAIT;
import static io.beehive.local.conformance.HealthCheckConformanceTest.assertSameAsTrace;
import static io.beehive.local.conformance.HealthCheckConformanceTest.traceFramework;
import static io.beehive.local.conformance.TaskUpdates.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-health checks (TaskInfo.check, COMMAND) against trace 10, update for update (normalized JSON): every update
 * of the task carries {@code check_status}, empty but for the result updates, which come only when the result
 * changes; a check that times out reports nothing; a failing check does not kill the task.
 */
class CheckConformanceTest extends ClusterPerTest {

    static final String TRACE_10 = "10-checks.txt";

    static TaskInfo task(Offer offer, String taskId, String checkCommand, double timeoutSeconds) {
        return Calls.task(taskId, offer, "sleep 600").toBuilder().setCheck(CheckInfo.newBuilder()
                .setType(CheckInfo.Type.COMMAND)
                .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.newBuilder().setValue(checkCommand)))
                .setDelaySeconds(0.5).setIntervalSeconds(0.5).setTimeoutSeconds(timeoutSeconds)).build();
    }

    long linesOf(RawScheduler fw, String taskId, String containing) {
        try {
            Path file = cluster.sandbox(fw.frameworkId, taskId).resolve("stderr");
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains(containing)).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    void awaitLogLines(RawScheduler fw, String taskId, String text, long count) {
        org.awaitility.Awaitility.await(count + " × '" + text + "'").atMost(WAIT)
                .until(() -> linesOf(fw, taskId, text) >= count);
    }

    static void assertCheckResult(TaskStatus status, int exitCode) {
        assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED);
        assertThat(status.hasHealthy()).isFalse();
        assertThat(status.getCheckStatus().getType()).isEqualTo(CheckInfo.Type.COMMAND);
        assertThat(status.getCheckStatus().getCommand().getExitCode()).isEqualTo(exitCode);
    }

    @Test
    void exit3_oneResultUpdate_thenNothingWhileItStaysTheSame_killShowsAnEmptyCheckStatus() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "check-exit3", "exit 3", 2));
            TaskUpdates updates = new TaskUpdates(fw, "check-exit3");
            TaskStatus starting = status(updates.next(TaskState.TASK_STARTING, WAIT));
            assertThat(starting.getCheckStatus()).isEqualTo(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
                    .setCommand(CheckStatusInfo.Command.getDefaultInstance()).build());
            updates.next(TaskState.TASK_RUNNING, WAIT);
            assertCheckResult(status(updates.next(WAIT)), 3);
            awaitLogLines(fw, "check-exit3", "COMMAND check for task 'check-exit3' returned: 3", 4);
            assertThat(updates.settled()).as("the same result is not reported again").hasSize(3);

            fw.call(Calls.kill(fw.frameworkId, "check-exit3", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            TaskStatus killed = status(updates.next(TaskState.TASK_KILLED, WAIT));
            assertThat(killed.getCheckStatus().getCommand().hasExitCode()).isFalse();
            assertSameAsTrace(updates.received(), TRACE_10, "check-exit3");
        }
    }

    @Test
    void aResultThatChangesIsReportedAgain() throws IOException {
        Path checkFile = workDir.resolve("check-file");
        Files.writeString(checkFile, "ok");
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "check-flip", "test -f " + checkFile, 2));
            TaskUpdates updates = new TaskUpdates(fw, "check-flip");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            assertCheckResult(status(updates.next(WAIT)), 0);
            Files.delete(checkFile);
            assertCheckResult(status(updates.next(WAIT)), 1);
            awaitLogLines(fw, "check-flip", "COMMAND check for task 'check-flip' returned: 1", 4);
            assertThat(updates.settled()).as("a failing check does not kill the task").hasSize(4);

            fw.call(Calls.kill(fw.frameworkId, "check-flip", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertSameAsTrace(updates.received(), TRACE_10, "check-flip");
        }
    }

    @Test
    void aCheckThatAlwaysTimesOutReportsNothing() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> task(offer, "check-timeout", "sleep 5", 0.5));
            TaskUpdates updates = new TaskUpdates(fw, "check-timeout");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            awaitLogLines(fw, "check-timeout", "COMMAND check for task 'check-timeout' failed: Command timed out after 500ms", 3);
            assertThat(updates.settled()).hasSize(2);

            fw.call(Calls.kill(fw.frameworkId, "check-timeout", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            assertSameAsTrace(updates.received(), TRACE_10, "check-timeout");
        }
    }

    @Test
    void anInvalidCheckIsRefusedWithTaskError() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, traceFramework())) {
            fw.launch(offer -> Calls.task("no-tcp", offer, "sleep 600").toBuilder()
                    .setCheck(CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)).build());
            TaskStatus error = fw.stream.awaitUpdate("no-tcp", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(error.getMessage()).isEqualTo("Task uses invalid check: Expecting 'tcp' to be set for TCP check");
        }
    }
}
