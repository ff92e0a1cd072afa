package io.beehive.local.conformance;

import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** KILL of a running command task: TASK_KILLED, TASK_KILLING only with the capability, and the process really gone. */
class KillConformanceTest extends ClusterPerTest {

    @ParameterizedTest(name = "{0} killing-capability={1}")
    @CsvSource({"JSON,true", "JSON,false", "PROTOBUF,true", "PROTOBUF,false"})
    void killEndsTheTaskKilledAndTheProcessIsGone(Wire wire, boolean killingState) {
        FrameworkInfo.Builder info = Calls.framework("kill");
        if (killingState) {
            info.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        }
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info.build())) {
            long pid = launchSleeper(fw, "sleeper");
            fw.call(Calls.kill(fw.frameworkId, "sleeper", null));
            if (killingState) {
                fw.awaitAndAck("sleeper", TaskState.TASK_KILLING);
            }
            TaskStatus killed = fw.awaitAndAck("sleeper", TaskState.TASK_KILLED);
            assertThat(killed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            await().atMost(LONG).until(() -> !alive(pid));
            List<TaskState> states = fw.stream.events().stream().filter(e -> e.getType() == Event.Type.UPDATE)
                    .map(e -> e.getUpdate().getStatus().getState()).toList();
            if (killingState) {
                assertThat(states).containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_KILLED);
            } else {
                assertThat(states).doesNotContain(TaskState.TASK_KILLING);
            }
        }
    }
}
