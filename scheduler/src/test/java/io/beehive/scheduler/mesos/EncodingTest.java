package io.beehive.scheduler.mesos;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodingTest {

    @Test
    void parsesTheRealMastersSubscribedIncludingAnEmptyCapability() throws IOException {
        byte[] stream = RecordIoDecoderTest.resource("02-subscribe.body.raw");
        byte[] first = new RecordIoDecoder(1 << 20).decode(stream, 0, stream.length).get(0);
        Event event = Encoding.JSON.decodeEvent(first);
        assertThat(event.getSubscribed().getFrameworkId().getValue())
                .isEqualTo("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-0000");
        assertThat(event.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
        assertThat(event.getSubscribed().getMasterInfo().getAddress().getPort()).isEqualTo(5050);
        assertThat(event.getSubscribed().getMasterInfo().getCapabilitiesList()).hasSize(3);
    }

    @Test
    void parsesTheRealMastersLaunchUpdates() throws IOException {
        byte[] stream = RecordIoDecoderTest.resource("03-launch.body.raw");
        List<byte[]> records = new RecordIoDecoder(1 << 20).decode(stream, 0, stream.length);
        long updatesWithUuid = records.stream().map(Encoding.JSON::decodeEvent)
                .filter(e -> e.getType() == Event.Type.UPDATE)
                .filter(e -> e.getUpdate().getStatus().getUuid().size() == 16).count();
        assertThat(updatesWithUuid).isGreaterThan(0);
    }

    @Test
    void printsProtoFieldNamesAndAnEmptyReconcile() {
        Call call = SchedulerCalls.reconcile(List.of())
                .setFrameworkId(FrameworkID.newBuilder().setValue("f-1")).build();
        String json = new String(Encoding.JSON.encodeCall(call), StandardCharsets.UTF_8);
        assertThat(json).contains("\"framework_id\":{\"value\":\"f-1\"}").contains("\"reconcile\":{}")
                .contains("\"type\":\"RECONCILE\"");
    }

    @Test
    void bothEncodingsRoundTripASubscribe() throws Exception {
        Call call = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("n").setFailoverTimeout(3600)
                        .setCheckpoint(true).addRoles("r").addCapabilities(FrameworkInfo.Capability.newBuilder()
                                .setType(FrameworkInfo.Capability.Type.MULTI_ROLE)))).build();
        assertThat(Call.parseFrom(Encoding.PROTOBUF.encodeCall(call))).isEqualTo(call);
        Call.Builder parsed = Encoding.Json.parse(new String(Encoding.JSON.encodeCall(call), StandardCharsets.UTF_8),
                Call.newBuilder());
        assertThat(parsed.build()).isEqualTo(call);
    }

    @Test
    void ignoresUnknownFieldsButRefusesGarbage() {
        Event e = Encoding.JSON.decodeEvent("{\"type\":\"HEARTBEAT\",\"future_field\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(e.getType()).isEqualTo(Event.Type.HEARTBEAT);
        assertThatThrownBy(() -> Encoding.JSON.decodeEvent("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEventException.class);
        assertThatThrownBy(() -> Encoding.PROTOBUF.decodeEvent(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}))
                .isInstanceOf(UndecodableEventException.class);
        // An UPDATE whose status lacks its required task_id is an event no caller could use.
        assertThatThrownBy(() -> Encoding.JSON.decodeEvent(
                "{\"type\":\"UPDATE\",\"update\":{\"status\":{\"state\":\"TASK_RUNNING\"}}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEventException.class);
    }

    @Test
    void acknowledgeWithoutUuidIsRefused() {
        assertThatThrownBy(() -> SchedulerCalls.acknowledge(AgentID.newBuilder().setValue("a").build(),
                TaskID.newBuilder().setValue("t").build(), ByteString.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }
}
