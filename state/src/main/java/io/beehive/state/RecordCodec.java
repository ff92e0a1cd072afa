package io.beehive.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON encoding of the records. Tolerant on read (unknown fields and unknown enum names from a newer writer do
 * not fail), strict on shape: a value that is not the record at all fails with a message saying why, and the
 * loader quarantines it.
 */
final class RecordCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private final ObjectWriter writer = mapper.writer();

    byte[] encode(Object record) {
        try {
            return writer.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    /**
     * @throws UnreadableRecordException with a one-line reason when the bytes are not a {@code type}
     */
    <T> T decode(byte[] data, Class<T> type) {
        if (data == null || data.length == 0) {
            throw new UnreadableRecordException("empty value where a " + type.getSimpleName() + " was expected");
        }
        ObjectReader reader = mapper.readerFor(type);
        try {
            return reader.readValue(data);
        } catch (IOException | IllegalArgumentException e) {
            throw new UnreadableRecordException("not a valid " + type.getSimpleName() + ": " + oneLine(e), e);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private static String oneLine(Throwable e) {
        Throwable cause = e;
        // Jackson wraps the record constructor's IllegalArgumentException; its message is the useful one.
        while (cause.getCause() != null && cause.getCause() != cause
                && cause.getCause() instanceof IllegalArgumentException) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
        if (message == null) {
            message = cause.getClass().getSimpleName();
        }
        message = message.replaceAll("\\s+", " ").trim();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
