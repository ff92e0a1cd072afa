package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallLanesTest {

    static Call ack(String agent, String task, int n) {
        return Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(AgentID.newBuilder().setValue(agent))
                .setTaskId(TaskID.newBuilder().setValue(task))
                .setUuid(com.google.protobuf.ByteString.copyFromUtf8("u" + n))).build();
    }

    @Test
    void everyCallButAnAcknowledgementTakesTheOrderedLane() {
        CallLanes lanes = new CallLanes(4);
        for (Call.Type type : Call.Type.values()) {
            if (type != Call.Type.ACKNOWLEDGE && type != Call.Type.UNKNOWN) {
                assertThat(lanes.laneOf(Call.newBuilder().setType(type).build())).as(type.name())
                        .isEqualTo(CallLanes.ORDERED);
            }
        }
        // An ACKNOWLEDGE without its body is invalid; the master answers it, on the ordered lane like any other call.
        assertThat(lanes.laneOf(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).build())).isEqualTo(CallLanes.ORDERED);
    }

    @Test
    void acknowledgementsOfOneTaskAlwaysShareALaneAndDifferentTasksSpreadOverAll() {
        CallLanes lanes = new CallLanes(4);
        Set<Integer> used = new HashSet<>();
        for (int t = 0; t < 200; t++) {
            int lane = lanes.laneOf(ack("agent-" + (t % 3), "task-" + t, 0));
            assertThat(lane).isBetween(1, 4);
            for (int n = 1; n < 5; n++) {
                assertThat(lanes.laneOf(ack("agent-" + (t % 3), "task-" + t, n))).isEqualTo(lane);
            }
            used.add(lane);
        }
        assertThat(used).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(lanes.count()).isEqualTo(5);
    }

    @Test
    void withoutAcknowledgementLanesEverythingIsOrdered() {
        CallLanes lanes = new CallLanes(0);
        for (Call ack : List.of(ack("a", "t1", 0), ack("b", "t2", 0))) {
            assertThat(lanes.laneOf(ack)).isEqualTo(CallLanes.ORDERED);
        }
        assertThatThrownBy(() -> new CallLanes(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
