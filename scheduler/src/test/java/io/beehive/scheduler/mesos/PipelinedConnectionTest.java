package io.beehive.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import io.beehive.scheduler.mesos.PipelinedConnection.Answer;

/**
 * Pipelined calls: answers are matched to requests in order, against the local master's real HTTP server, and every
 * way a connection can fail (closed with requests unanswered, no answer in time, closed by us) fails exactly the
 * requests it carried, after which the next request opens a new connection.
 */
class PipelinedConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROTOBUF = "application/x-protobuf";

    @TempDir
    Path workDir;

    @Test
    void aThousandPipelinedCallsGetTheirOwnAnswersInOrderFromTheLocalMaster() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(1).build());
             MesosClient client = new MesosClient(MesosClientConfig.builder()
                     .masters(cluster.masterUris().get(0).getHost() + ":" + cluster.masterUris().get(0).getPort())
                     .frameworkInfo(FrameworkInfo.newBuilder().setUser("pipelining").setName("pipelining").build())
                     .build(), new RecordingListener())) {
            client.start();
            await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
            URI master = cluster.masterUris().get(0);
            URI endpoint = MasterUris.endpoint(master);
            String streamId = client.streamId().orElseThrow();
            Call.Builder ack = SchedulerCalls.acknowledge(AgentID.newBuilder().setValue("no-such-agent").build(),
                    TaskID.newBuilder().setValue("t").build(), version4Uuid())
                    .setFrameworkId(client.frameworkId().orElseThrow());
            // Every seventh request has no framework id: the master must refuse that one, and only that one.
            byte[] accepted = PipelinedConnection.post(endpoint, PROTOBUF, streamId, null, ack.build().toByteArray());
            byte[] refused = PipelinedConnection.post(endpoint, PROTOBUF, streamId, null,
                    ack.clone().clearFrameworkId().build().toByteArray());

            try (PipelinedConnection pipe = pipe(new InetSocketAddress(master.getHost(), master.getPort()),
                    Duration.ofSeconds(30))) {
                List<CompletableFuture<Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    answers.add(pipe.send(i % 7 == 3 ? refused : accepted));
                }
                for (int i = 0; i < answers.size(); i++) {
                    Answer answer = answers.get(i).get(30, TimeUnit.SECONDS);
                    if (i % 7 == 3) {
                        assertThat(answer.status()).as("answer %d", i).isEqualTo(400);
                        assertThat(answer.body()).as("answer %d", i).contains("framework_id");
                    } else {
                        assertThat(answer.status()).as("answer %d: %s", i, answer.body()).isEqualTo(202);
                    }
                }
            }
        }
    }

    /** A uuid the master accepts: 16 zero bytes are "Not a valid UUID" to a real master (no version). */
    private static ByteString version4Uuid() {
        java.util.UUID uuid = java.util.UUID.randomUUID();
        return ByteString.copyFrom(java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }

    @Test
    void aConnectionClosedWithRequestsUnansweredFailsThemAndTheNextRequestReconnects() throws Exception {
        try (RawServer server = new RawServer()) {
            try (PipelinedConnection pipe = pipe(server.address(), Duration.ofSeconds(30))) {
                List<CompletableFuture<Answer>> first = List.of(pipe.send(request()), pipe.send(request()),
                        pipe.send(request()));
                Socket one = server.accept();
                server.readRequests(one, 3);
                one.close();
                for (CompletableFuture<Answer> f : first) {
                    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(IOException.class);
                }

                CompletableFuture<Answer> a = pipe.send(request());
                CompletableFuture<Answer> b = pipe.send(request());
                Socket two = server.accept();
                server.readRequests(two, 2);
                OutputStream out = two.getOutputStream();
                // A chunked error body, then an empty 202: each answer is found and framed right.
                out.write(("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                        + "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(new Answer(400, "hello world"));
                assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(new Answer(202, ""));
                two.close();
            }
        }
    }

    @Test
    void aRequestWithoutAnswerWithinTheTimeoutFailsAndAClosedPipeFailsWhatItHolds() throws Exception {
        try (RawServer server = new RawServer()) {
            PipelinedConnection pipe = pipe(server.address(), Duration.ofMillis(300));
            CompletableFuture<Answer> unanswered = pipe.send(request());
            Socket silent = server.accept();
            server.readRequests(silent, 1);
            assertThatThrownBy(() -> unanswered.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("no answer within 300 ms");

            CompletableFuture<Answer> pending = pipe.send(request());
            Socket again = server.accept();
            server.readRequests(again, 1);
            pipe.close();
            assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
            assertThatThrownBy(() -> pipe.send(request()).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("closed");
            silent.close();
            again.close();
        }
    }

    private static PipelinedConnection pipe(InetSocketAddress address, Duration requestTimeout) {
        return new PipelinedConnection("test-pipe", address, Duration.ofSeconds(5), requestTimeout, 10_000, 4096);
    }

    private static byte[] request() {
        return PipelinedConnection.post(URI.create("http://127.0.0.1:1/api/v1/scheduler"), PROTOBUF, "s", null,
                new byte[0]);
    }

    /** A loopback TCP server the test drives by hand, to break connections exactly where it wants. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

        RawServer() throws IOException {
        }

        InetSocketAddress address() {
            return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }

        Socket accept() throws IOException {
            socket.setSoTimeout((int) WAIT.toMillis());
            return socket.accept();
        }

        /** Reads {@code count} requests with empty bodies (each ends with an empty line). */
        void readRequests(Socket client, int count) throws IOException {
            client.setSoTimeout((int) WAIT.toMillis());
            InputStream in = client.getInputStream();
            int seen = 0;
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (seen < count) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("client closed after " + seen + " requests");
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
                if (matched == end.length) {
                    seen++;
                    matched = 0;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
