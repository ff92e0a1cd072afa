package io.beehive.local.conformance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** §6 "Launch": the hello-world task, offer-level and task-level failures with their exact messages, update sequence. */
class LaunchConformanceTest extends ClusterPerTest {

    @ParameterizedTest
    @EnumSource(Wire.class)
    void helloWorld_echoOnAnAgentWritesToTheTasksStdoutFile(Wire wire) throws Exception {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("hello").build())) {
            fw.launch("hello", "echo hello world");
            fw.awaitAndAck("hello", TaskState.TASK_STARTING);
            fw.awaitAndAck("hello", TaskState.TASK_RUNNING);
            TaskStatus finished = fw.awaitAndAck("hello", TaskState.TASK_FINISHED);
            assertThat(finished.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            assertThat(finished.getExecutorId().getValue()).isEqualTo("hello");
            Path stdout = cluster.sandbox(fw.frameworkId, "hello").resolve("stdout");
            await().atMost(LONG).untilAsserted(() ->
                    assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).contains("hello world"));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void commandExecutorSendsStartingRunningTerminal_neverStaging_eachWithItsOwnUuid(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("sequence").build())) {
            fw.launch("fails", "exit 3");
            TaskStatus starting = fw.awaitAndAck("fails", TaskState.TASK_STARTING);
            TaskStatus running = fw.awaitAndAck("fails", TaskState.TASK_RUNNING);
            TaskStatus failed = fw.awaitAndAck("fails", TaskState.TASK_FAILED);
            assertThat(List.of(starting.getUuid(), running.getUuid(), failed.getUuid())).doesNotHaveDuplicates()
                    .allSatisfy(u -> assertThat(u.size()).isEqualTo(16));
            List<TaskState> states = fw.stream.events().stream().filter(e -> e.getType() == Event.Type.UPDATE)
                    .map(e -> e.getUpdate().getStatus().getState()).toList();
            assertThat(states).doesNotContain(TaskState.TASK_STAGING)
                    .containsSubsequence(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void offerLevelFailureIsTaskLostForNonPartitionAwareAndTaskDroppedForPartitionAware(Wire wire) {
        for (FrameworkInfo info : List.of(Calls.framework("non-pa").build(), Calls.partitionAware("pa").build())) {
            boolean pa = info.getCapabilitiesCount() > 0;
            try (RawScheduler fw = RawScheduler.subscribe(master, wire, info)) {
                Offer offer = fw.awaitOffer();
                OfferID bogus = OfferID.newBuilder().setValue("bogus-offer").build();
                fw.call(Calls.launch(fw.frameworkId, List.of(bogus), 0.0, Calls.task("t1", offer, "true"),
                        Calls.task("t2", offer, "true")));
                for (String task : List.of("t1", "t2")) {
                    TaskStatus status = fw.stream.awaitUpdate(task).getUpdate().getStatus();
                    assertThat(status.getState()).isEqualTo(pa ? TaskState.TASK_DROPPED : TaskState.TASK_LOST);
                    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
                    assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
                    assertThat(status.hasUuid()).isFalse();
                    assertThat(status.getMessage()).isEqualTo("Task launched with invalid offers: Offer bogus-offer is no longer valid");
                }
                fw.call(Calls.launch(fw.frameworkId, List.of(), 0.0, Calls.task("t3", offer, "true")));
                assertThat(fw.stream.awaitUpdate("t3").getUpdate().getStatus().getMessage())
                        .isEqualTo("Task launched with invalid offers: No offers specified");
                fw.call(Calls.launch(fw.frameworkId, List.of(offer.getId(), offer.getId()), 0.0, Calls.task("t4", offer, "true")));
                assertThat(fw.stream.awaitUpdate("t4").getUpdate().getStatus().getMessage())
                        .isEqualTo("Task launched with invalid offers: Duplicate offer " + offer.getId().getValue() + " in offer list");
                fw.call(Calls.teardown(fw.frameworkId));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void taskLevelFailuresAreTaskErrorWithExactMessages_otherTasksProceed_resourcesCountCumulatively(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("task-errors").build())) {
            Offer offer = fw.awaitOffer();
            TaskInfo good = Calls.task("good", offer, "sleep 600");
            TaskInfo duplicate = Calls.task("good", offer, "true");
            TaskInfo wrongAgent = Calls.task("wrong-agent", offer, "true").toBuilder()
                    .setAgentId(AgentID.newBuilder().setValue("elsewhere")).build();
            TaskInfo neither = Calls.task("neither", offer, "true").toBuilder().clearCommand().build();
            TaskInfo big = Calls.task("big", offer, "true").toBuilder().clearResources()
                    .addResources(Calls.scalar("cpus", 1.5)).addResources(Calls.scalar("mem", 32)).build();
            TaskInfo tooBig = big.toBuilder().setTaskId(big.getTaskId().toBuilder().setValue("too-big")).setName("too-big").build();
            fw.call(Calls.launch(fw.frameworkId, offer, good, duplicate, wrongAgent, neither, big, tooBig));

            fw.stream.awaitUpdate("good", TaskState.TASK_STARTING);
            TaskStatus dup = fw.stream.awaitUpdate("good", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(dup.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
            assertThat(dup.getMessage()).isEqualTo("Task has duplicate ID: good");
            assertThat(dup.hasUuid()).isFalse();

            TaskStatus agent = fw.stream.awaitUpdate("wrong-agent", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(agent.getMessage()).isEqualTo("Task uses invalid agent elsewhere while agent "
                    + offer.getAgentId().getValue() + " is expected");
            TaskStatus none = fw.stream.awaitUpdate("neither", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(none.getMessage()).isEqualTo("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");

            // 0.1 (good) + 1.5 (big) of 2 cpus are used: too-big no longer fits
            fw.stream.awaitUpdate("big", TaskState.TASK_STARTING);
            TaskStatus over = fw.stream.awaitUpdate("too-big", TaskState.TASK_ERROR).getUpdate().getStatus();
            assertThat(over.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
            // as Mesos prints Resources (issue 16): the allocation role on each, the offer's order (ports first),
            // what is left of the offer after good and big, scalars as fixed-point with no trailing zeros
            assertThat(over.getMessage()).isEqualTo("Total resources cpus(allocated: *):1.5; mem(allocated: *):32"
                    + " required by task and its executor is more than available "
                    + "ports(allocated: *):[31000-32000]; cpus(allocated: *):" + left(offer, "cpus", 1.6)
                    + "; mem(allocated: *):" + left(offer, "mem", 64) + "; disk(allocated: *):" + left(offer, "disk", 0));
            // the duplicate did not disturb the live task
            fw.call(Calls.reconcile(fw.frameworkId, "good", null));
            TaskStatus live = fw.stream.awaitReconciliationAnswer();
            assertThat(live.getState()).isIn(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
        }
    }

    /** What is left of a scalar of {@code offer} after {@code used}, printed as Mesos prints a scalar. */
    private static String left(Offer offer, String name, double used) {
        double offered = offer.getResourcesList().stream().filter(r -> r.getName().equals(name)).findFirst()
                .orElseThrow().getScalar().getValue();
        return java.math.BigDecimal.valueOf(Math.round((offered - used) * 1000) / 1000.0).stripTrailingZeros()
                .toPlainString();
    }
}
