package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordIoDecoderTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = RecordIoDecoderTest.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<byte[]> decodeInChunks(byte[] bytes, int chunk) {
        RecordIoDecoder decoder = new RecordIoDecoder(1 << 20);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            out.addAll(decoder.decode(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        assertThat(decoder.atRecordBoundary()).isTrue();
        return out;
    }

    @Test
    void decodesTheRealMastersStreamWhateverTheChunking() throws IOException {
        byte[] stream = resource("02-subscribe.body.raw");
        List<byte[]> whole = decodeInChunks(stream, stream.length);
        assertThat(whole).hasSize(4);
        List<Event.Type> types = new ArrayList<>();
        for (byte[] record : whole) {
            types.add(Encoding.JSON.decodeEvent(record).getType());
        }
        assertThat(types).containsExactly(Event.Type.SUBSCRIBED, Event.Type.HEARTBEAT, Event.Type.OFFERS,
                Event.Type.HEARTBEAT);
        for (int chunk = 1; chunk <= 64; chunk++) {
            List<byte[]> split = decodeInChunks(stream, chunk);
            assertThat(split).as("chunk size %d", chunk).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(split.get(i)).isEqualTo(whole.get(i));
            }
        }
    }

    @Test
    void holdsBackAnIncompleteRecord() {
        RecordIoDecoder decoder = new RecordIoDecoder(1024);
        byte[] bytes = "20\n{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(decoder.decode(bytes, 0, bytes.length - 1)).isEmpty();
        assertThat(decoder.atRecordBoundary()).isFalse();
        List<byte[]> last = decoder.decode(bytes, bytes.length - 1, 1);
        assertThat(last).hasSize(1);
        assertThat(new String(last.get(0), StandardCharsets.US_ASCII)).isEqualTo("{\"type\":\"HEARTBEAT\"}");
    }

    @Test
    void refusesABadLengthPrefixAndStaysFailed() {
        RecordIoDecoder decoder = new RecordIoDecoder(1024);
        byte[] bad = "2x\n{}".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> decoder.decode(bad, 0, bad.length)).isInstanceOf(RecordIoException.class)
                .hasMessageContaining("length prefix");
        byte[] good = "2\n{}".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> decoder.decode(good, 0, good.length)).isInstanceOf(RecordIoException.class);
    }

    @Test
    void refusesEmptyAndZeroLengths() {
        byte[] empty = "\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new RecordIoDecoder(10).decode(empty, 0, 1)).isInstanceOf(RecordIoException.class);
        byte[] zero = "0\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new RecordIoDecoder(10).decode(zero, 0, 2)).isInstanceOf(RecordIoException.class);
    }

    @Test
    void refusesAnOversizedRecordBeforeReadingItsPayload() {
        RecordIoDecoder decoder = new RecordIoDecoder(100);
        byte[] prefix = "101".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> decoder.decode(prefix, 0, prefix.length)).isInstanceOf(RecordIoException.class)
                .hasMessageContaining("maximum");
        byte[] huge = "99999999999999999999999\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new RecordIoDecoder(Integer.MAX_VALUE).decode(huge, 0, huge.length))
                .isInstanceOf(RecordIoException.class);
    }

    @Test
    void recordOfExactlyTheMaximumIsAccepted() {
        RecordIoDecoder decoder = new RecordIoDecoder(3);
        byte[] bytes = "3\nabc".getBytes(StandardCharsets.US_ASCII);
        assertThat(decoder.decode(bytes, 0, bytes.length)).hasSize(1);
    }
}
