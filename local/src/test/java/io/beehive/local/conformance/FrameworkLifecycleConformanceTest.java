package io.beehive.local.conformance;

import java.time.Duration;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** §6 "Framework lifecycle" and the failover / failover_timeout semantics of §3.1. */
class FrameworkLifecycleConformanceTest extends ClusterPerTest {

    private Subscription subscribeWithId(Wire wire, FrameworkInfo info, String id) {
        return Subscription.open(master, wire,
                Calls.subscribe(info.toBuilder().setId(FrameworkID.newBuilder().setValue(id)).build()));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void newIdFormatIsMasterIdDashCounter_andAnUnknownIdIsAccepted(Wire wire) {
        try (RawScheduler first = RawScheduler.subscribe(master, wire, Calls.framework("a").build());
             RawScheduler second = RawScheduler.subscribe(master, wire, Calls.framework("b").build())) {
            assertThat(first.frameworkId).isEqualTo(cluster.masterId() + "-0000");
            assertThat(second.frameworkId).isEqualTo(cluster.masterId() + "-0001");
        }
        try (Subscription adopted = subscribeWithId(wire, Calls.framework("c").build(), "never-issued-id")) {
            assertThat(adopted.status()).isEqualTo(200);
            assertThat(adopted.frameworkId()).isEqualTo("never-issued-id");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void completedFrameworkIdGetsFrameworkHasBeenRemoved(Wire wire) {
        FrameworkInfo info = Calls.framework("completed").setFailoverTimeout(60).build();
        String id;
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info)) {
            id = fw.frameworkId;
            fw.call(Calls.teardown(id));
            fw.stream.awaitEnd(LONG);
            assertThat(fw.stream.types()).doesNotContain("ERROR");
            HttpMessage after = fw.send(Calls.revive(id));
            assertThat(after.status()).isEqualTo(400);
            assertThat(after.bodyText()).isEqualTo("Framework cannot be found");
        }
        try (Subscription again = subscribeWithId(wire, info, id)) {
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.streamId()).isNotBlank();
            again.awaitEnd(LONG);
            assertThat(again.types()).containsExactly("ERROR");
            assertThat(again.events().get(0).getError().getMessage()).isEqualTo("Framework has been removed");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void secondSubscribeFailsOverTheFirst_oldStreamErrorThenClosed_offersSilentlyDiscarded(Wire wire) {
        FrameworkInfo info = Calls.framework("failover").setFailoverTimeout(60).build();
        RawScheduler one = RawScheduler.subscribe(master, wire, info);
        Offer heldByOld = one.awaitOffer();
        try (RawScheduler two = one.resubscribe(info)) {
            assertThat(two.frameworkId).isEqualTo(one.frameworkId);
            assertThat(two.stream.streamId()).isNotEqualTo(one.stream.streamId());
            Event error = one.stream.awaitType(Event.Type.ERROR);
            assertThat(error.getError().getMessage()).isEqualTo("Framework failed over");
            one.stream.awaitEnd(LONG);
            assertThat(one.stream.types().get(one.stream.types().size() - 1)).isEqualTo("ERROR");
            assertThat(one.stream.types()).doesNotContain("RESCIND");

            // the old stream id is stale
            HttpMessage stale = one.send(Calls.revive(one.frameworkId));
            assertThat(stale.status()).isEqualTo(400);
            assertThat(stale.bodyText()).startsWith("The stream ID '" + one.stream.streamId() + "'");

            // the old offer was discarded: using it is an invalid-offer launch
            two.call(Calls.launch(two.frameworkId, heldByOld, Calls.task("t-old-offer", heldByOld, "true")));
            TaskStatus lost = two.stream.awaitUpdate("t-old-offer").getUpdate().getStatus();
            assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            assertThat(lost.getMessage()).isEqualTo("Task launched with invalid offers: Offer "
                    + heldByOld.getId().getValue() + " is no longer valid");
            assertThat(two.stream.types()).doesNotContain("RESCIND");
            // the agent's resources went back to the allocator and are offered on the new stream under a new id
            assertThat(two.heldOffer().getId()).isNotEqualTo(heldByOld.getId());
        } finally {
            one.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void disconnectWithZeroFailoverTimeoutTearsDownAtOnce(Wire wire) {
        RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("zero-timeout").build());
        fw.close();
        await().atMost(LONG).untilAsserted(() -> {
            HttpMessage r = fw.send(Calls.revive(fw.frameworkId));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("Framework cannot be found");
        });
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void failoverTimeoutExpiryTearsDownAndKillsTheTaskProcess(Wire wire) {
        FrameworkInfo info = Calls.framework("short-timeout").setFailoverTimeout(1.0).build();
        RawScheduler fw = RawScheduler.subscribe(master, wire, info);
        long pid = launchSleeper(fw, "sleeper");
        fw.close();
        // disconnected, not yet timed out: 403
        await().atMost(LONG).until(() -> fw.send(Calls.revive(fw.frameworkId)).status() != 202);
        await().atMost(LONG).until(() -> !alive(pid));
        await().atMost(LONG).untilAsserted(() ->
                assertThat(fw.send(Calls.revive(fw.frameworkId)).bodyText()).isEqualTo("Framework cannot be found"));
        try (Subscription again = subscribeWithId(wire, info, fw.frameworkId)) {
            again.awaitEnd(LONG);
            assertThat(again.events().get(0).getError().getMessage()).isEqualTo("Framework has been removed");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void disconnectedFrameworkWithinItsTimeoutIs403AndCanComeBackWithItsTasks(Wire wire) {
        FrameworkInfo info = Calls.framework("comes-back").setFailoverTimeout(3600).build();
        RawScheduler fw = RawScheduler.subscribe(master, wire, info);
        fw.launchRunning("survivor", PID_THEN_SLEEP);
        fw.close();
        await().atMost(LONG).untilAsserted(() -> {
            HttpMessage r = fw.send(Calls.revive(fw.frameworkId));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).isEqualTo("Framework is not subscribed");
        });
        try (RawScheduler back = fw.resubscribe(info)) {
            back.call(Calls.reconcile(back.frameworkId, "survivor", null));
            TaskStatus status = back.stream.awaitReconciliationAnswer();
            assertThat(status.getTaskId().getValue()).isEqualTo("survivor");
            assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            back.call(Calls.teardown(back.frameworkId));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void teardownKillsTasksWithoutUpdatesAndClosesTheStreamWithoutAnEvent(Wire wire) {
        RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("teardown").build());
        long pid = launchSleeper(fw, "victim");
        int before = fw.stream.history().size();
        fw.call(Calls.teardown(fw.frameworkId));
        fw.stream.awaitEnd(LONG);
        assertThat(fw.stream.history().subList(before, fw.stream.history().size()))
                .extracting(r -> r.event().getType()).allMatch(t -> t == Event.Type.HEARTBEAT || t == Event.Type.OFFERS);
        await().atMost(LONG).until(() -> !alive(pid));
        fw.close();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void principalChangeOnResubscribeIsRefused(Wire wire) {
        FrameworkInfo info = Calls.framework("principal").setPrincipal("alice").setFailoverTimeout(60).build();
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info);
             Subscription changed = subscribeWithId(wire, info.toBuilder().setPrincipal("bob").build(), fw.frameworkId)) {
            assertThat(changed.status()).isEqualTo(200);
            changed.awaitEnd(LONG);
            assertThat(changed.types()).containsExactly("ERROR");
            assertThat(changed.events().get(0).getError().getMessage())
                    .isEqualTo("Changing framework's principal is not allowed.");
            // the refused attempt did not take the framework over
            fw.call(Calls.suppress(fw.frameworkId));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void userAndCheckpointChangesOnResubscribeAreSilentlyIgnored(Wire wire) {
        FrameworkInfo info = Calls.framework("user").setCheckpoint(true).setFailoverTimeout(60).build();
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info);
             RawScheduler changed = fw.resubscribe(info.toBuilder().setUser("mallory").setCheckpoint(false).build())) {
            assertThat(changed.frameworkId).isEqualTo(fw.frameworkId);
            HttpMessage state = HttpWire.exchange(master, "GET", "/state", Map.of(), null);
            assertThat(state.status()).isEqualTo(200);
            assertThat(state.bodyText()).contains("\"user\":\"beehive\"").doesNotContain("mallory");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void resubscribeReplacesTheSuppressedRoleSet(Wire wire) {
        FrameworkInfo info = Calls.framework("suppressed").setFailoverTimeout(60).build();
        Call suppressed = Calls.subscribe(info).toBuilder().setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(info).addSuppressedRoles("*")).build();
        try (Subscription s = Subscription.open(master, wire, suppressed)) {
            String id = s.frameworkId();
            // suppressed from the start: a few allocation rounds pass without an offer
            s.awaitType(Event.Type.HEARTBEAT);
            s.awaitType(Event.Type.HEARTBEAT);
            s.awaitType(Event.Type.HEARTBEAT);
            assertThat(s.types()).doesNotContain("OFFERS");
            // re-subscribing without suppressed_roles un-suppresses
            try (Subscription again = subscribeWithId(wire, info, id)) {
                assertThat(again.awaitType(Event.Type.OFFERS).getOffers().getOffersCount()).isPositive();
            }
        }
    }

}
