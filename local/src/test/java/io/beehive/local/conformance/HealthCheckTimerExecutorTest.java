package io.beehive.local.conformance;

import io.beehive.local.LocalClusterConfig;
import java.util.List;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

import static io.beehive.local.conformance.HealthCheckConformanceTest.WAIT;
import static io.beehive.local.conformance.TaskUpdates.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TIMER executor (scale tests, no process) reports a health-checked task healthy once, right after
 * TASK_RUNNING, in the shape of trace 06's health-ok; a task without a health check gets no such update.
 */
class HealthCheckTimerExecutorTest extends ClusterPerTest {

    @Override
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return super.config(fast).executorMode(LocalClusterConfig.ExecutorMode.TIMER);
    }

    @Test
    void healthyOnceAfterRunning_likeTheCommandExecutorsFirstPassingCheck() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, HealthCheckConformanceTest.traceFramework())) {
            fw.launch(offer -> HealthCheckConformanceTest.task(offer, "timer-ok", "sleep 600",
                    HealthCheckConformanceTest.commandCheck("true")));
            fw.launch(offer -> Calls.task("timer-unchecked", offer, "sleep 600"));
            TaskUpdates updates = new TaskUpdates(fw, "timer-ok");
            updates.next(TaskState.TASK_STARTING, WAIT);
            updates.next(TaskState.TASK_RUNNING, WAIT);
            TaskStatus healthy = status(updates.next(WAIT));
            HealthCheckConformanceTest.assertHealthUpdate(healthy, true);
            TaskUpdates unchecked = new TaskUpdates(fw, "timer-unchecked");
            unchecked.next(TaskState.TASK_STARTING, WAIT);
            unchecked.next(TaskState.TASK_RUNNING, WAIT);

            fw.call(Calls.kill(fw.frameworkId, "timer-ok", null));
            updates.next(TaskState.TASK_KILLING, WAIT);
            updates.next(TaskState.TASK_KILLED, WAIT);
            List<String> expected = TraceFile.updatesOf(HealthCheckConformanceTest.TRACE_06, "health-ok").stream()
                    .map(e -> StatusShape.of(e.json())).toList();
            assertThat(updates.received()).extracting(r -> StatusShape.of(r.record().text()))
                    .containsExactlyElementsOf(expected);
            assertThat(unchecked.settled()).as("no health update without a health check").hasSize(2);
        }
    }
}
