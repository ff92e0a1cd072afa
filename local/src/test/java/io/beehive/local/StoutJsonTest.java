package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.beehive.local.json.StoutJson;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** The stout JSON mapping against bytes a real 1.11 master printed (../shared/mesos-traces). */
class StoutJsonTest {

    private static final String SUBSCRIBED_TRACE = "{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":{\"value\":"
        + "\"3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-0000\"},\"heartbeat_interval_seconds\":15.0,\"master_info\":{\"id\":"
        + "\"3fc4bc01-1abd-4a5a-b74c-2a8457c300b6\",\"ip\":16777343,\"port\":5050,\"pid\":\"master@127.0.0.1:5050\","
        + "\"hostname\":\"localhost\",\"version\":\"1.11.0\",\"address\":{\"hostname\":\"localhost\",\"ip\":\"127.0.0.1\","
        + "\"port\":5050},\"capabilities\":[{\"type\":\"AGENT_UPDATE\"},{\"type\":\"AGENT_DRAINING\"},{}]}}}";

    @Test
    void subscribedPrintsByteForByteAsTheRealMaster() {
        Event event = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
            .setFrameworkId(FrameworkID.newBuilder().setValue("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-0000"))
            .setHeartbeatIntervalSeconds(15.0)
            .setMasterInfo(MasterInfo.newBuilder().setId("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6").setIp(16777343)
                .setPort(5050).setPid("master@127.0.0.1:5050").setHostname("localhost").setVersion("1.11.0")
                .setAddress(Address.newBuilder().setHostname("localhost").setIp("127.0.0.1").setPort(5050))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_UPDATE))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_DRAINING))
                .addCapabilities(MasterInfo.Capability.newBuilder()))).build();
        byte[] printed = StoutJson.printBytes(event);
        assertThat(new String(printed, StandardCharsets.UTF_8)).isEqualTo(SUBSCRIBED_TRACE);
        assertThat(printed).hasSize(431);
        assertThat(StoutJson.print(Event.newBuilder().setType(Event.Type.HEARTBEAT).build())).hasSize(20);
    }

    @Test
    void timestampsArePlainDecimalsAndUuidsBase64() {
        TaskStatus status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t"))
            .setState(TaskState.TASK_RUNNING).setTimestamp(1795317185.938071)
            .setUuid(ByteString.copyFrom(new byte[] {0x2a, 0x42, 0x18, (byte) 0x80})).build();
        assertThat(StoutJson.print(status)).isEqualTo("{\"task_id\":{\"value\":\"t\"},\"state\":\"TASK_RUNNING\","
            + "\"timestamp\":1795317185.938071,\"uuid\":\"KkIYgA==\"}");
    }

    @Test
    void parserFollowsStoutRules() throws Exception {
        String json = "{\"type\":\"ACCEPT\",\"frameworkId\":{\"value\":\"ignored\"},\"framework_id\":{\"value\":\"f\"},"
            + "\"accept\":{\"offer_ids\":{\"value\":\"o1\"},\"filters\":{\"refuse_seconds\":\"3\"}}}";
        Call call = StoutJson.merge(StoutJson.parseTree(json.getBytes(StandardCharsets.UTF_8)), Call.newBuilder()).build();
        assertThat(call.getFrameworkId().getValue()).isEqualTo("f");
        assertThat(call.getAccept().getOfferIdsList()).hasSize(1);
        assertThat(call.getAccept().getFilters().getRefuseSeconds()).isEqualTo(3.0);
        assertThatThrownBy(() -> StoutJson.merge(StoutJson.parseTree(
            "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"name\":\"x\"}}}".getBytes(StandardCharsets.UTF_8)),
            Call.newBuilder())).hasMessageContaining("Missing required fields").hasMessageContaining("user");
    }

    @Test
    void syntaxErrorsQuoteTheRestOfTheInputAsTheRealMasterDoes() {
        assertThatThrownBy(() -> StoutJson.parseTree("{not json".getBytes(StandardCharsets.UTF_8)))
            .hasMessage("syntax error at line 1 near: not json");
    }

    @Test
    void defaultsArePrintedEmptyRepeatedOmitted() {
        String printed = StoutJson.print(org.apache.mesos.v1.Protos.FrameworkInfo.newBuilder().setUser("u").setName("n").build());
        // failover_timeout and checkpoint have [default=...]; the deprecated role (default "*") is not printed
        assertThat(printed).isEqualTo("{\"user\":\"u\",\"name\":\"n\",\"failover_timeout\":0.0,\"checkpoint\":false}");
    }
}
