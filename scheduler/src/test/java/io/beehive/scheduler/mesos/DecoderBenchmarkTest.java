package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Events decoded per second from the real master's recorded streams, repeated; fed in 16 KiB chunks like HTTP. */
@Tag("benchmark")
class DecoderBenchmarkTest {

    private static final int CHUNK = 16 * 1024;
    private static final int TARGET_BYTES = 32 * 1024 * 1024;

    @Test
    void eventsDecodedPerSecond() throws Exception {
        byte[] recorded = concat(RecordIoDecoderTest.resource("02-subscribe.body.raw"),
                RecordIoDecoderTest.resource("03-launch.body.raw"));
        List<byte[]> jsonRecords = new RecordIoDecoder(1 << 20).decode(recorded, 0, recorded.length);
        ByteArrayOutputStream protoStream = new ByteArrayOutputStream();
        for (byte[] r : jsonRecords) {
            byte[] proto = Encoding.JSON.decodeEvent(r).toByteArray();
            protoStream.write((proto.length + "\n").getBytes(StandardCharsets.US_ASCII));
            protoStream.write(proto);
        }
        byte[] jsonStream = repeat(recorded);
        byte[] protobufStream = repeat(protoStream.toByteArray());
        System.out.printf("recorded sample: %d events, %d bytes JSON, %d bytes protobuf%n", jsonRecords.size(),
                recorded.length, protoStream.size());

        run("RecordIO framing only (JSON bytes)", jsonStream, r -> { });
        run("RecordIO + JSON Event parse", jsonStream, r -> Encoding.JSON.decodeEvent(r));
        run("RecordIO + protobuf Event parse", protobufStream, r -> Encoding.PROTOBUF.decodeEvent(r));
    }

    private static void run(String name, byte[] stream, Consumer<byte[]> perRecord) {
        long events = 0;
        double bestRate = 0;
        double bestMbps = 0;
        for (int round = 0; round < 6; round++) {
            RecordIoDecoder decoder = new RecordIoDecoder(1 << 20);
            long count = 0;
            long start = System.nanoTime();
            for (int i = 0; i < stream.length; i += CHUNK) {
                for (byte[] record : decoder.decode(ByteBuffer.wrap(stream, i, Math.min(CHUNK, stream.length - i)))) {
                    perRecord.accept(record);
                    count++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            events = count;
            if (round > 0) { // round 0 is warm-up
                bestRate = Math.max(bestRate, count / seconds);
                bestMbps = Math.max(bestMbps, stream.length / seconds / 1e6);
            }
        }
        assertThat(events).isPositive();
        System.out.printf("%-38s %,12.0f events/s  %8.1f MB/s  (%,d events per round, best of 5)%n", name, bestRate,
                bestMbps, events);
    }

    private static byte[] repeat(byte[] sample) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(TARGET_BYTES + sample.length);
        while (out.size() < TARGET_BYTES) {
            out.writeBytes(sample);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
