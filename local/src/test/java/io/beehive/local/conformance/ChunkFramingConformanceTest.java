package io.beehive.local.conformance;

import io.beehive.local.LocalClusterConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Chunk framing of the SUBSCRIBE stream as libprocess writes it (trace 11): every event is one chunk, written
 * whole, {@code size CRLF data CRLF}. Python's http.client and urllib3 hand a chunk over only once its trailing CRLF
 * has arrived; a server that sends that CRLF together with the next chunk delivers every event one event late.
 * The heartbeat is a minute here, so nothing but the OFFERS chunk itself can complete it within the deadline.
 */
class ChunkFramingConformanceTest extends ClusterPerClass {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Override
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return fast.agent(Clusters.traceAgent()).heartbeatInterval(Duration.ofSeconds(60));
    }

    /** {@code close}: the request says {@code Connection: close}, as Python's urllib always does. */
    @ParameterizedTest(name = "Connection: close {0}")
    @ValueSource(booleans = {false, true})
    void everyEventIsOneCompleteChunk_theFirstOffersArrivesWithoutWaitingForTheNextHeartbeat(boolean close)
            throws IOException {
        byte[] subscribe = ("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
                + "{\"user\":\"root\",\"name\":\"strict-chunks\"}}}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = HttpWire.connect(master)) {
            HttpWire.writeRequest(socket.getOutputStream(), master, "POST", "/api/v1/scheduler",
                    Map.of("Content-Type", "application/json", "Accept", "application/json"), subscribe, close);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpWire.Head head = HttpWire.readHead(in);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).filteredOn(h -> h.getKey().equalsIgnoreCase("Transfer-Encoding"))
                    .extracting(Map.Entry::getValue).containsExactly("chunked");
            StrictChunkReader chunks = new StrictChunkReader(socket, in, System.nanoTime() + DEADLINE.toNanos());
            List<String> events = new ArrayList<>();
            while (events.stream().noneMatch(e -> e.startsWith("{\"type\":\"OFFERS\""))) {
                String chunk = chunks.next(events);
                // one RecordIO record per chunk: "<length>\n<payload>" and nothing else
                int newline = chunk.indexOf('\n');
                assertThat(newline).as("record length line in chunk %s", chunk).isPositive();
                String payload = chunk.substring(newline + 1);
                assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
                        .as("chunk %s holds exactly one record", chunk)
                        .isEqualTo(Integer.parseInt(chunk.substring(0, newline)));
                events.add(payload);
            }
            assertThat(events.get(0)).startsWith("{\"type\":\"SUBSCRIBED\"");
        }
    }

    /**
     * Hands a chunk over only when its trailing CRLF has been read, as http.client's {@code _safe_read} /
     * {@code _read_and_discard_trailer} do; fails when the deadline passes first.
     */
    private record StrictChunkReader(Socket socket, InputStream in, long deadlineNanos) {

        String next(List<String> before) throws IOException {
            try {
                String sizeLine = line();
                int size = Integer.parseInt(sizeLine.trim(), 16);
                assertThat(size).as("a chunk, not the end of the stream").isPositive();
                byte[] data = new byte[size];
                for (int read = 0; read < size; ) {
                    read += readSome(data, read, size - read);
                }
                String crlf = line();
                assertThat(crlf).as("the chunk's trailing CRLF").isEmpty();
                return new String(data, StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return fail("no complete chunk within %s after %s: the chunk's trailing CRLF was held back",
                        DEADLINE, before);
            }
        }

        private int readSome(byte[] buf, int off, int len) throws IOException {
            arm();
            int n = in.read(buf, off, len);
            if (n < 0) {
                throw new IOException("stream closed inside a chunk");
            }
            return n;
        }

        private String line() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                arm();
                int b = in.read();
                if (b < 0) {
                    throw new IOException("stream closed inside a chunk header");
                }
                if (b == '\n') {
                    byte[] bytes = out.toByteArray();
                    assertThat(bytes.length > 0 && bytes[bytes.length - 1] == '\r').as("CRLF line end").isTrue();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
                }
                out.write(b);
            }
        }

        private void arm() throws IOException {
            long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) left);
        }
    }
}
