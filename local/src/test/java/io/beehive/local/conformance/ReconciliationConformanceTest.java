package io.beehive.local.conformance;

import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * §6 "Reconciliation": implicit, the explicit cases of §3.5 with the PA / non-PA mapping and exact messages,
 * and KILL of an unknown task. (Case 2, silence while agents are "recovered", is in MasterFailoverConformanceTest.)
 */
class ReconciliationConformanceTest extends ClusterPerTest {

    @Override
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return fast.agent(Clusters.traceAgent()).agent(AgentSpec.defaults("unreachable-agent"))
                .agent(AgentSpec.defaults("gone-agent"));
    }

    private static TaskStatus awaitAnswer(RawScheduler fw, String taskId) {
        TaskStatus status = fw.stream.await(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION,
                "reconciliation answer for " + taskId).getUpdate().getStatus();
        assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
        assertThat(status.hasUuid()).as("reconciliation answers are unreliable").isFalse();
        return status;
    }

    /** Runs one task on the first agent (a fresh offer from it). */
    private void runOnFirstAgent(RawScheduler fw, String taskId) {
        String agent = cluster.agentIds().get(0);
        Offer offer = fw.stream.await(e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersList().stream()
                        .anyMatch(o -> o.getAgentId().getValue().equals(agent)), "offer of the first agent")
                .getOffers().getOffersList().stream().filter(o -> o.getAgentId().getValue().equals(agent)).findFirst().orElseThrow();
        fw.call(Calls.launch(fw.frameworkId, offer, Calls.task(taskId, offer, "sleep 600")));
        fw.awaitAndAck(taskId, TaskState.TASK_STARTING);
        fw.awaitAndAck(taskId, TaskState.TASK_RUNNING);
    }

    @ParameterizedTest(name = "{0} partition-aware={1}")
    @CsvSource({"JSON,true", "JSON,false", "PROTOBUF,true", "PROTOBUF,false"})
    void explicitAndImplicitReconciliationAnswerEveryCaseWithTheExactStateAndMessage(Wire wire, boolean pa) {
        FrameworkInfo info = pa ? Calls.partitionAware("rec").build() : Calls.framework("rec").build();
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info)) {
            String a0 = cluster.agentIds().get(0);
            String unreachable = cluster.agentIds().get(1);
            String gone = cluster.agentIds().get(2);
            runOnFirstAgent(fw, "live");

            // implicit: every active task, with its latest state; no executor_id on command tasks (§0.3)
            fw.call(Calls.reconcileAll(fw.frameworkId));
            TaskStatus implicit = awaitAnswer(fw, "live");
            assertThat(implicit.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(implicit.getMessage()).isEqualTo("Reconciliation: Latest task state");
            assertThat(implicit.getAgentId().getValue()).isEqualTo(a0);
            assertThat(implicit.hasExecutorId()).isFalse();

            // 1: known task, agent id in the request ignored
            fw.call(Calls.reconcile(fw.frameworkId, "live", gone));
            TaskStatus known = awaitAnswer(fw, "live");
            assertThat(known.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(known.getMessage()).isEqualTo("Reconciliation: Latest task state");

            // 3: unknown task on a registered agent
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-3", a0));
            TaskStatus c3 = awaitAnswer(fw, "ghost-3");
            assertThat(c3.getState()).isEqualTo(pa ? TaskState.TASK_GONE : TaskState.TASK_LOST);
            assertThat(c3.getMessage()).isEqualTo("Reconciliation: Task is unknown to the agent");

            // 4: unknown task on an unreachable agent
            cluster.markAgentUnreachable(unreachable);
            fw.stream.awaitAgentFailure(unreachable);
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-4", unreachable));
            TaskStatus c4 = awaitAnswer(fw, "ghost-4");
            assertThat(c4.getState()).isEqualTo(pa ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST);
            assertThat(c4.getMessage()).isEqualTo("Reconciliation: Task is unreachable");
            assertThat(c4.hasUnreachableTime()).isTrue();

            // 5: unknown task on an agent marked gone
            cluster.markAgentGone(gone);
            fw.stream.awaitAgentFailure(gone);
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-5", gone));
            TaskStatus c5 = awaitAnswer(fw, "ghost-5");
            assertThat(c5.getState()).isEqualTo(pa ? TaskState.TASK_GONE_BY_OPERATOR : TaskState.TASK_LOST);
            assertThat(c5.getMessage()).isEqualTo("Reconciliation: Task is gone");

            // 6: no agent id, or an agent id nobody knows (echoed)
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-6", null));
            TaskStatus c6 = awaitAnswer(fw, "ghost-6");
            assertThat(c6.getState()).isEqualTo(pa ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST);
            assertThat(c6.getMessage()).isEqualTo("Reconciliation: Task is unknown");
            assertThat(c6.hasAgentId()).isFalse();
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-6b", "no-such-agent"));
            TaskStatus c6b = awaitAnswer(fw, "ghost-6b");
            assertThat(c6b.getState()).isEqualTo(pa ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST);
            assertThat(c6b.getAgentId().getValue()).isEqualTo("no-such-agent");

            // KILL of an unknown task = explicit reconciliation of it
            fw.call(Calls.kill(fw.frameworkId, "ghost-kill", null));
            TaskStatus killed = awaitAnswer(fw, "ghost-kill");
            assertThat(killed.getState()).isEqualTo(pa ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST);
            assertThat(killed.getMessage()).isEqualTo("Reconciliation: Task is unknown");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"JSON", "PROTOBUF"})
    void implicitReconciliationExcludesUnreachableTasks(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.partitionAware("implicit").build())) {
            runOnFirstAgent(fw, "cut-off");
            cluster.markAgentUnreachable(cluster.agentIds().get(0));
            fw.stream.awaitUpdate("cut-off", TaskState.TASK_UNREACHABLE);
            fw.call(Calls.reconcileAll(fw.frameworkId));
            // the explicit answer that follows on the same connection proves the implicit one had its chance
            fw.call(Calls.reconcile(fw.frameworkId, "marker", null));
            awaitAnswer(fw, "marker");
            assertThat(fw.stream.events().stream().filter(e -> e.getType() == Event.Type.UPDATE
                    && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                    .map(e -> e.getUpdate().getStatus().getTaskId().getValue())).containsExactly("marker");
            Call kill = Calls.kill(fw.frameworkId, "cut-off", cluster.agentIds().get(0));
            fw.call(kill);
            assertThat(awaitAnswer(fw, "cut-off").getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
        }
    }
}
