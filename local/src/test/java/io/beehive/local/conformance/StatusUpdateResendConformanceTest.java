package io.beehive.local.conformance;

import io.beehive.local.LocalClusterConfig;
import java.time.Duration;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** With a one-minute retry, only the re-subscription itself can bring the pending update back quickly. */
class StatusUpdateResendConformanceTest extends ClusterPerTest {
    @Override
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return fast.agent(Clusters.traceAgent()).statusUpdateRetryInitial(Duration.ofMinutes(1))
                .statusUpdateRetryMax(Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void pendingUpdateIsResentAtOnceAfterResubscribe(Wire wire) {
        FrameworkInfo info = Calls.framework("resend").setFailoverTimeout(3600).build();
        RawScheduler fw = RawScheduler.subscribe(master, wire, info);
        fw.launch("pending", "sleep 600");
        TaskStatus unacked = fw.stream.awaitUpdate("pending").getUpdate().getStatus();
        assertThat(unacked.getState()).isEqualTo(TaskState.TASK_STARTING);
        fw.close();
        try (RawScheduler back = fw.resubscribe(info)) {
            TaskStatus again = back.stream.awaitUpdate("pending").getUpdate().getStatus();
            assertThat(again.getUuid()).isEqualTo(unacked.getUuid());
            assertThat(again.getState()).isEqualTo(TaskState.TASK_STARTING);
            back.call(Calls.acknowledge(back.frameworkId, again));
            back.awaitAndAck("pending", TaskState.TASK_RUNNING);
        }
    }
}
