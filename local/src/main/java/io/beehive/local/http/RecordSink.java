package io.beehive.local.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Blocker;

/** Where a {@link SubscriptionStream} writes its RecordIO records, blocking until they are on the wire. */
interface RecordSink {

    void write(List<byte[]> records) throws IOException;

    /**
     * Each record as one HTTP chunk written whole, {@code size CRLF data CRLF}, as libprocess does. Jetty's chunked
     * encoder sends a chunk's trailing CRLF only in front of the next chunk, and a client that waits for that CRLF
     * (Python's http.client, urllib3) would then get every event one event late. So the chunk framing is written
     * here straight onto the connection, after Jetty has sent the response head (chunked); Jetty writes nothing
     * else until the response completes and it adds the last chunk {@code 0 CRLF CRLF}.
     */
    static RecordSink chunksOn(EndPoint endPoint) {
        return records -> {
            ByteBuffer[] buffers = new ByteBuffer[records.size() * 3];
            int i = 0;
            for (byte[] record : records) {
                buffers[i++] = ByteBuffer.wrap((Integer.toHexString(record.length) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                buffers[i++] = ByteBuffer.wrap(record);
                buffers[i++] = ByteBuffer.wrap(new byte[] {'\r', '\n'});
            }
            try (Blocker.Callback written = Blocker.callback()) {
                endPoint.write(written, buffers);
                written.block();
            }
        };
    }

    /** Through Jetty's own encoding: for a response Jetty does not chunk (an HTTP/1.0 request reads until EOF). */
    static RecordSink streamOf(OutputStream out) {
        return records -> {
            for (byte[] record : records) {
                out.write(record);
            }
            out.flush();
        };
    }
}
