package io.beehive.local.conformance;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** §6 "Agents" (§3.6): partition → unreachable, heal → re-registration, socket disconnect, removal, gone. */
class AgentConformanceTest extends ClusterPerTest {

    private static FrameworkInfo info(boolean pa, boolean checkpoint) {
        return (pa ? Calls.partitionAware("agents") : Calls.framework("agents")).setCheckpoint(checkpoint).build();
    }

    @ParameterizedTest(name = "{0} partition-aware={1}")
    @CsvSource({"JSON,true", "JSON,false", "PROTOBUF,true", "PROTOBUF,false"})
    void partitionedAgentBecomesUnreachable_thenHealReportsTheLiveTask(Wire wire, boolean pa) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info(pa, true))) {
            String agent = cluster.agentIds().get(0);
            fw.launchRunning("cut-off", "sleep 600");
            Offer held = fw.heldOffer(); // the rest of the agent
            RawScheduler bystander = RawScheduler.subscribe(master, wire, Calls.framework("bystander").build());
            cluster.partitionAgent(agent);

            TaskStatus lost = fw.stream.awaitMasterUpdate("cut-off").getUpdate().getStatus();
            assertThat(lost.getState()).isEqualTo(pa ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST);
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
            assertThat(lost.getMessage()).isEqualTo("health check timed out");
            assertThat(lost.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
            assertThat(lost.hasUnreachableTime()).isTrue();
            assertThat(lost.hasUuid()).isFalse();
            fw.stream.await(e -> e.getType() == Event.Type.RESCIND && e.getRescind().getOfferId().equals(held.getId()),
                    "RESCIND of the held offer");
            fw.stream.await(e -> e.getType() == Event.Type.FAILURE && e.getFailure().getAgentId().getValue().equals(agent)
                    && !e.getFailure().hasExecutorId(), "FAILURE{agent_id}");
            // FAILURE goes to every connected framework, used the agent or not
            bystander.stream.awaitAgentFailure(agent);

            cluster.healAgent(agent);
            TaskStatus back = fw.stream.awaitMasterUpdate("cut-off").getUpdate().getStatus();
            assertThat(back.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(back.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REREGISTERED);
            assertThat(back.getMessage()).isEqualTo("Unreachable agent re-reregistered");
            assertThat(back.hasUuid()).isFalse();
            bystander.close();
        }
    }

    @ParameterizedTest(name = "{0} partition-aware={1}")
    @CsvSource({"JSON,true", "JSON,false", "PROTOBUF,true", "PROTOBUF,false"})
    void socketDisconnectLosesTheTasksOfNonCheckpointingFrameworksOnly(Wire wire, boolean pa) {
        try (RawScheduler plain = RawScheduler.subscribe(master, wire, info(pa, false))) {
            plain.launchRunning("fragile", "sleep 600");
            plain.quiesce();
            try (RawScheduler durable = RawScheduler.subscribe(master, wire, info(pa, true))) {
                durable.launchRunning("durable", "sleep 600");
                cluster.disconnectAgent(cluster.agentIds().get(0));
                TaskStatus lost = plain.stream.awaitMasterUpdate("fragile").getUpdate().getStatus();
                // TASK_LOST even for partition-aware frameworks
                assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
                assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_DISCONNECTED);
                assertThat(lost.hasUuid()).isFalse();
                // the checkpointing framework hears nothing about its task; a later reconciliation still finds it
                durable.call(Calls.reconcile(durable.frameworkId, "durable", null));
                TaskStatus still = durable.stream.awaitReconciliationAnswer();
                assertThat(still.getState()).isEqualTo(TaskState.TASK_RUNNING);
                assertThat(durable.stream.events().stream().filter(e -> e.getType() == Event.Type.UPDATE)
                        .map(e -> e.getUpdate().getStatus().getState()))
                        .doesNotContain(TaskState.TASK_LOST, TaskState.TASK_UNREACHABLE);
            }
        }
    }

    @ParameterizedTest(name = "{0} partition-aware={1}")
    @CsvSource({"JSON,true", "JSON,false", "PROTOBUF,true", "PROTOBUF,false"})
    void removedAgentLosesItsTasksForEveryFramework(Wire wire, boolean pa) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info(pa, true))) {
            String agent = cluster.agentIds().get(0);
            fw.launchRunning("removed", "sleep 600");
            cluster.removeAgent(agent);
            TaskStatus lost = fw.stream.awaitMasterUpdate("removed").getUpdate().getStatus();
            assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
            fw.stream.awaitAgentFailure(agent);
        }
    }

    @ParameterizedTest(name = "{0} partition-aware={1}")
    @CsvSource({"JSON,true", "JSON,false", "PROTOBUF,true", "PROTOBUF,false"})
    void agentMarkedGoneByTheOperator(Wire wire, boolean pa) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info(pa, true))) {
            String agent = cluster.agentIds().get(0);
            fw.launchRunning("doomed", "sleep 600");
            cluster.markAgentGone(agent);
            TaskStatus gone = fw.stream.awaitMasterUpdate("doomed").getUpdate().getStatus();
            assertThat(gone.getState()).isEqualTo(pa ? TaskState.TASK_GONE_BY_OPERATOR : TaskState.TASK_LOST);
            assertThat(gone.getReason()).isEqualTo(pa ? TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR
                    : TaskStatus.Reason.REASON_AGENT_REMOVED);
            fw.stream.awaitAgentFailure(agent);
        }
    }
}
