package io.beehive.election;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON form of {@link LeaderInfo} in ZooKeeper, readable with zkCli: {"participantId":…, "epoch":…, …}. */
final class LeaderInfoCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LeaderInfoCodec() {
    }

    static byte[] encode(LeaderInfo info) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("participantId", info.participantId())
                .put("epoch", info.epoch())
                .put("latchPath", info.latchPath())
                .put("since", info.since().toString());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + info, e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a leader-info document */
    static LeaderInfo decode(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return new LeaderInfo(
                    required(node, "participantId").asText(),
                    required(node, "epoch").asLong(),
                    required(node, "latchPath").asText(),
                    Instant.parse(required(node, "since").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a leader-info document: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }
}
