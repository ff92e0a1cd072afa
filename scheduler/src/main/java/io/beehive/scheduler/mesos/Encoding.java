package io.beehive.scheduler.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.nio.charset.StandardCharsets;

/**
 * The two wire encodings of the v1 scheduler API. The content type strings are exact: the master compares them as
 * strings, so {@code application/json; charset=utf-8} would be refused with 415.
 */
public enum Encoding {
    PROTOBUF("application/x-protobuf") {
        @Override
        public byte[] encode(Message message) {
            return message.toByteArray();
        }

        @Override
        public Event decodeEvent(byte[] bytes) {
            try {
                return Event.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new UndecodableEventException("undecodable protobuf event: " + e.getMessage(), e);
            }
        }
    },
    JSON("application/json") {
        @Override
        public byte[] encode(Message message) {
            try {
                return JSON_PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("cannot print " + message.getDescriptorForType().getName(), e);
            }
        }

        @Override
        public Event decodeEvent(byte[] bytes) {
            Event.Builder builder = Json.parse(new String(bytes, StandardCharsets.UTF_8), Event.newBuilder());
            if (!builder.isInitialized()) {
                throw new UndecodableEventException("JSON event misses required fields: "
                        + builder.findInitializationErrors(), null);
            }
            return builder.build();
        }
    };

    // Mesos reads only .proto field names and silently ignores lowerCamelCase ones.
    private static final JsonFormat.Printer JSON_PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

    private final String contentType;

    Encoding(String contentType) {
        this.contentType = contentType;
    }

    /** The exact Content-Type / Accept value. */
    public String contentType() {
        return contentType;
    }

    public abstract byte[] encode(Message message);

    public byte[] encodeCall(Call call) {
        return encode(call);
    }

    /** @throws UndecodableEventException if the bytes are not an Event in this encoding */
    public abstract Event decodeEvent(byte[] bytes);

    /** Mesos-flavoured JSON parsing shared by the codec and the ZooKeeper master detector. */
    static final class Json {
        private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

        private Json() {}

        static <B extends Message.Builder> B parse(String json, B builder) {
            try {
                PARSER.merge(json, builder);
                return builder;
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                // JsonFormat throws unchecked exceptions (e.g. on malformed numbers) as well as the checked one.
                throw new UndecodableEventException("undecodable JSON " + builder.getDescriptorForType().getName()
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
