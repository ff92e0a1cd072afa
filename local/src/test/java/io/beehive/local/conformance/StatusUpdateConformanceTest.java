package io.beehive.local.conformance;

import io.beehive.local.LocalClusterConfig;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** §6 "Status updates": one reliable update in flight per task, retries, resend on re-subscribe, terminal-unacked visibility. */
class StatusUpdateConformanceTest extends ClusterPerTest {

    private static List<TaskStatus> updatesOf(Subscription s, String taskId) {
        return s.events().stream().filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus()).filter(st -> st.getTaskId().getValue().equals(taskId)).toList();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void oneUpdateInFlightPerTask_retriedUntilAcked_nextOnlyAfterTheMatchingAck(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("in-flight").build())) {
            fw.launch("quick", "true"); // finishes at once: RUNNING and FINISHED are queued behind STARTING
            TaskStatus first = fw.stream.awaitUpdate("quick").getUpdate().getStatus();
            assertThat(first.getState()).isEqualTo(TaskState.TASK_STARTING);
            // not acknowledged: the agent resends the same update after statusUpdateRetryInitial (200 ms), twice
            fw.stream.awaitUpdate("quick");
            fw.stream.awaitUpdate("quick");
            assertThat(updatesOf(fw.stream, "quick")).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(s -> {
                        assertThat(s.getState()).isEqualTo(TaskState.TASK_STARTING);
                        assertThat(s.getUuid()).isEqualTo(first.getUuid());
                    });
            // an ACK with a valid uuid that is not the head's changes nothing (16 zero bytes would be refused with
            // 400 "Not a valid UUID": boost knows no version 0)
            java.util.UUID other = java.util.UUID.randomUUID();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16)
                    .putLong(other.getMostSignificantBits()).putLong(other.getLeastSignificantBits());
            fw.call(Calls.acknowledge(fw.frameworkId, first.toBuilder()
                    .setUuid(com.google.protobuf.ByteString.copyFrom(bytes.array())).build()));
            fw.stream.awaitUpdate("quick");
            assertThat(updatesOf(fw.stream, "quick")).extracting(TaskStatus::getState).containsOnly(TaskState.TASK_STARTING);
            fw.call(Calls.acknowledge(fw.frameworkId, first));
            fw.awaitAndAck("quick", TaskState.TASK_RUNNING);
            fw.awaitAndAck("quick", TaskState.TASK_FINISHED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void terminalTaskStaysVisibleUntilItsTerminalUpdateIsAcked(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("terminal").build())) {
            fw.launch("done", "true");
            fw.awaitAndAck("done", TaskState.TASK_STARTING);
            fw.awaitAndAck("done", TaskState.TASK_RUNNING);
            TaskStatus finished = fw.stream.awaitUpdate("done", TaskState.TASK_FINISHED).getUpdate().getStatus();
            // not acked: implicit reconciliation still reports it, and its id cannot be reused
            fw.call(Calls.reconcileAll(fw.frameworkId));
            TaskStatus reported = fw.stream.awaitReconciliationAnswer();
            assertThat(reported.getTaskId().getValue()).isEqualTo("done");
            assertThat(reported.getState()).isEqualTo(TaskState.TASK_FINISHED);
            assertThat(reported.getMessage()).isEqualTo("Reconciliation: Latest task state");
            assertThat(reported.hasUuid()).isFalse();
            org.apache.mesos.v1.Protos.Offer offer = fw.heldOffer();
            fw.call(Calls.launch(fw.frameworkId, offer, Calls.task("done", offer, "true")));
            TaskStatus dup = fw.stream.awaitUpdate("done", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(dup.getMessage()).isEqualTo("Task has duplicate ID: done");
            // acked: gone from the master
            fw.call(Calls.acknowledge(fw.frameworkId, finished));
            fw.call(Calls.reconcile(fw.frameworkId, "done", cluster.agentIds().get(0)));
            TaskStatus unknown = fw.stream.awaitReconciliationAnswer();
            assertThat(unknown.getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(unknown.getMessage()).isEqualTo("Reconciliation: Task is unknown to the agent");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void masterGeneratedUpdatesForADisconnectedFrameworkAreDropped_reconciliationStillAnswers(Wire wire) {
        FrameworkInfo info = Calls.partitionAware("away").setFailoverTimeout(3600).build();
        RawScheduler fw = RawScheduler.subscribe(master, wire, info);
        fw.launchRunning("stranded", "sleep 600");
        fw.close();
        org.awaitility.Awaitility.await().atMost(LONG).until(() -> fw.send(Calls.revive(fw.frameworkId)).status() == 403);
        String agent = cluster.agentIds().get(0);
        cluster.markAgentUnreachable(agent);
        try (RawScheduler back = fw.resubscribe(info)) {
            // the answer to a call made after re-subscribing is ordered after anything the master still had queued
            back.call(Calls.reconcile(back.frameworkId, "stranded", agent));
            TaskStatus answer = back.stream.awaitMasterUpdate("stranded").getUpdate().getStatus();
            assertThat(answer.getReason()).as("the TASK_UNREACHABLE of the disconnect time was dropped, not queued")
                    .isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            assertThat(answer.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
            assertThat(answer.getMessage()).isEqualTo("Reconciliation: Task is unreachable");
        }
    }
}
