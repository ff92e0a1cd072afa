package io.beehive.local.conformance;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The two encodings of the scheduler endpoint. JSON calls are written with the .proto field names (what stout
 * reads; JsonFormat's default camelCase would be silently ignored by a real master), events are read leniently;
 * tests that care about the exact JSON text compare the raw record instead.
 */
enum Wire {
    JSON("application/json"),
    PROTOBUF("application/x-protobuf");

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    final String contentType;

    Wire(String contentType) {
        this.contentType = contentType;
    }

    byte[] encode(Call call) {
        if (this == PROTOBUF) {
            return call.toByteArray();
        }
        try {
            return PRINTER.print(call).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Event decode(byte[] payload) {
        try {
            if (this == PROTOBUF) {
                return Event.parseFrom(payload);
            }
            Event.Builder event = Event.newBuilder();
            PARSER.merge(new String(payload, StandardCharsets.UTF_8), event);
            return event.build();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("undecodable " + this + " event: " + new String(payload, StandardCharsets.UTF_8), e);
        }
    }

    static Wire ofContentType(String contentType) {
        for (Wire w : values()) {
            if (w.contentType.equals(contentType)) {
                return w;
            }
        }
        throw new AssertionError("unexpected stream Content-Type " + contentType);
    }
}
