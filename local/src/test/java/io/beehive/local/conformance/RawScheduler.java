package io.beehive.local.conformance;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscribed framework driven by hand over raw HTTP: its stream, its framework id and stream id, and a way to
 * send calls in the same encoding. Deliberately thin: every decision a real scheduler would make is in the test.
 */
final class RawScheduler implements AutoCloseable {

    final URI master;
    final Wire wire;
    final Subscription stream;
    final String frameworkId;

    private RawScheduler(URI master, Wire wire, Subscription stream) {
        this.master = master;
        this.wire = wire;
        this.stream = stream;
        assertThat(stream.status()).as("SUBSCRIBE status, body %s", stream.refusal()).isEqualTo(200);
        this.frameworkId = stream.frameworkId();
    }

    static RawScheduler subscribe(URI master, Wire wire, FrameworkInfo info) {
        return new RawScheduler(master, wire, Subscription.open(master, wire, Calls.subscribe(info)));
    }

    /** Re-subscribes as the same framework on a new connection (framework failover). */
    RawScheduler resubscribe(FrameworkInfo info) {
        FrameworkInfo withId = info.toBuilder().setId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder()
                .setValue(frameworkId)).build();
        return subscribe(master, wire, withId);
    }

    HttpMessage send(Call call) {
        return HttpWire.post(master, wire.contentType, wire.encode(call), Map.of("Mesos-Stream-Id", stream.streamId()));
    }

    /** Sends and asserts the master queued the call. */
    void call(Call call) {
        HttpMessage response = send(call);
        assertThat(response.status()).as("%s answered %s", call.getType(), response).isEqualTo(202);
    }

    /** The first offer of the next OFFERS event after the cursor. */
    Offer awaitOffer() {
        return stream.awaitType(Event.Type.OFFERS).getOffers().getOffers(0);
    }

    private final java.util.Set<org.apache.mesos.v1.Protos.OfferID> spent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The newest offer this framework still holds (received, not used, declined or rescinded), waiting for one if
     * there is none: after a launch the rest of the agent may have been offered before the test looks.
     */
    Offer heldOffer() {
        List<Event> events = stream.events();
        java.util.Set<org.apache.mesos.v1.Protos.OfferID> gone = new java.util.HashSet<>(spent);
        events.stream().filter(e -> e.getType() == Event.Type.RESCIND).forEach(e -> gone.add(e.getRescind().getOfferId()));
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).getType() == Event.Type.OFFERS) {
                for (Offer offer : events.get(i).getOffers().getOffersList()) {
                    if (!gone.contains(offer.getId())) {
                        return offer;
                    }
                }
            }
        }
        return stream.await(e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersList().stream()
                .anyMatch(o -> !spent.contains(o.getId())), "a fresh offer").getOffers().getOffersList().stream()
                .filter(o -> !spent.contains(o.getId())).findFirst().orElseThrow();
    }

    /** Launches one command task on a held offer and returns the offer used. */
    Offer launch(String taskId, String command) {
        return launch(offer -> Calls.task(taskId, offer, command));
    }

    /** Launches the task built for a held offer and returns the offer used. */
    Offer launch(java.util.function.Function<Offer, org.apache.mesos.v1.Protos.TaskInfo> task) {
        Offer offer = heldOffer();
        spent.add(offer.getId());
        call(Calls.launch(frameworkId, offer, task.apply(offer)));
        return offer;
    }

    /**
     * SUPPRESS, then decline everything still held, so other frameworks get the resources. An offer the master sent
     * before the SUPPRESS may still be on its way: the answer to a reconciliation of an unknown task, sent after the
     * SUPPRESS on the same stream, marks the point by which every such offer has arrived.
     */
    void quiesce() {
        call(Calls.suppress(frameworkId));
        String marker = "quiesce-" + java.util.UUID.randomUUID();
        call(Calls.reconcile(frameworkId, marker, null));
        stream.awaitSeen(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(marker), java.time.Duration.ofSeconds(30),
                "the answer to the reconciliation that follows SUPPRESS");
        stream.events().stream().filter(e -> e.getType() == Event.Type.OFFERS)
                .flatMap(e -> e.getOffers().getOffersList().stream()).map(Offer::getId)
                .filter(id -> !spent.contains(id)).forEach(id -> {
                    spent.add(id);
                    call(Calls.decline(frameworkId, 0.0, id));
                });
    }

    /** Waits for the task's update in that state and acknowledges it (it must carry a uuid). */
    TaskStatus awaitAndAck(String taskId, TaskState state) {
        TaskStatus status = stream.awaitUpdate(taskId, state).getUpdate().getStatus();
        assertThat(status.hasUuid()).as("executor update %s carries a uuid", state).isTrue();
        call(Calls.acknowledge(frameworkId, status));
        return status;
    }

    /** Launches and acks STARTING and RUNNING. */
    TaskStatus launchRunning(String taskId, String command) {
        launch(taskId, command);
        awaitAndAck(taskId, TaskState.TASK_STARTING);
        return awaitAndAck(taskId, TaskState.TASK_RUNNING);
    }

    @Override
    public void close() {
        stream.close();
    }
}
