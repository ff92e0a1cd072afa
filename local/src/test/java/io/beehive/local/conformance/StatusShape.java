package io.beehive.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What an UPDATE must share with a recorded one when ids, times and container details cannot match (another task
 * id, no process): the keys of {@code update.status} in their order, with the values that carry meaning.
 */
final class StatusShape {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> MEANINGFUL = Set.of("state", "message", "source", "reason", "healthy");

    private StatusShape() {}

    /** e.g. {@code task_id,state=TASK_RUNNING,source=SOURCE_EXECUTOR,...,uuid,healthy=true,container_status}. */
    static String of(String eventJson) {
        try {
            JsonNode status = MAPPER.readTree(eventJson).path("update").path("status");
            StringJoiner shape = new StringJoiner(",");
            status.fieldNames().forEachRemaining(name ->
                    shape.add(MEANINGFUL.contains(name) ? name + "=" + status.get(name).asText() : name));
            return shape.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
