package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LeaderInfoCodecTest {

    @Test
    void roundTripsAndIsReadableJson() {
        LeaderInfo info = new LeaderInfo("10.0.0.7:8080", 42, "/beehive/leader/_c_x-latch-0000000042",
                Instant.parse("2026-11-22T04:00:00.123Z"));
        byte[] json = LeaderInfoCodec.encode(info);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"participantId\":\"10.0.0.7:8080\"", "\"epoch\":42");
        assertThat(LeaderInfoCodec.decode(json)).isEqualTo(info);
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> LeaderInfoCodec.decode("{\"epoch\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("participantId");
        assertThatThrownBy(() -> LeaderInfoCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latchNodeNamesGiveTheEpochAndTheLeader() {
        assertThat(LatchNodes.sequenceOf("_c_0b1f-latch-0000000042")).isEqualTo(42);
        assertThat(LatchNodes.lowest(java.util.List.of("_c_b-latch-0000000010", "_c_a-latch-0000000009")))
                .contains("_c_a-latch-0000000009");
        assertThatThrownBy(() -> LatchNodes.sequenceOf("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lifecycleTransitionsAreExplicit() {
        assertThat(LeadershipState.FOLLOWING.canMoveTo(LeadershipState.LEADING)).isTrue();
        assertThat(LeadershipState.FOLLOWING.canMoveTo(LeadershipState.SUSPENDED)).isFalse();
        assertThat(LeadershipState.HANDING_OFF.canMoveTo(LeadershipState.LEADING)).isFalse();
        assertThat(LeadershipState.CLOSED.canMoveTo(LeadershipState.FOLLOWING)).isFalse();
        assertThat(LeadershipState.SUSPENDED.isLeader()).isTrue();
    }
}
