package io.beehive.local.conformance;

import java.net.URI;
import java.time.Duration;
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

    Offer awaitOffer() {
        return stream.awaitType(Event.Type.OFFERS).getOffers().getOffers(0);
    }

    /** Launches one command task on a fresh offer and returns the offer used. */
    Offer launch(String taskId, String command) {
        Offer offer = awaitOffer();
        call(Calls.launch(frameworkId, offer, Calls.task(taskId, offer, command)));
        return offer;
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

    static final Duration WAIT = Subscription.DEFAULT_WAIT;
}
