package io.beehive.scheduler.app.proxy;

import com.sun.net.httpserver.HttpServer;
import io.beehive.scheduler.app.api.UnavailableMessage;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A forward that gets no answer says whether the request left: not sent (nothing listens: the write was not
 * applied) or sent and unanswered (the leader may have applied it). Answers, 503s included, come back with the
 * headers a client needs to retry safely.
 */
class LeaderForwarderTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private final LeaderForwarder forwarder = new LeaderForwarder(Duration.ofMillis(500));

    @BeforeEach
    void start() throws Exception {
        forwarder.start();
    }

    @AfterEach
    void stop() throws Exception {
        forwarder.stop();
    }

    @Test
    void aLeaderWhereNothingListensNeverGotTheRequest() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LeaderUnreachableException e = catchThrowableOfType(LeaderUnreachableException.class, () ->
                forwarder.forward("127.0.0.1:" + port, "POST", "/v1/jobs", JSON, "{}".getBytes()));
        assertThat(e.requestSent()).isFalse();
        assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("could not be reached");
        Response answer = LeaderProxyFilter.unreachable(e, "127.0.0.1:" + port, 3);
        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("X-Beehive-Write-Applied")).isEqualTo("no");
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("3");
        assertThat(answer.getEntity()).isInstanceOfSatisfying(UnavailableMessage.class,
                m -> assertThat(m.applied()).isEqualTo("no"));
    }

    @Test
    void aLeaderThatTookTheRequestAndNeverAnsweredMayHaveAppliedIt() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch received = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (Socket s = silent.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[4096];
                    while (in.read(buf) > 0) {
                        received.countDown(); // read the request, answer nothing
                    }
                } catch (Exception ignored) {
                    // closed by the test
                }
            }, "silent-leader");
            reader.start();
            LeaderUnreachableException e = catchThrowableOfType(LeaderUnreachableException.class, () ->
                    forwarder.forward("127.0.0.1:" + silent.getLocalPort(), "POST", "/v1/jobs", JSON,
                            "{}".getBytes()));
            assertThat(received.await(10, TimeUnit.SECONDS)).as("the leader got the request").isTrue();
            assertThat(e.requestSent()).isTrue();
            assertThat(e.getMessage()).contains("did not answer");
            Response answer = LeaderProxyFilter.unreachable(e, "127.0.0.1:" + silent.getLocalPort(), 3);
            assertThat(answer.getStatus()).isEqualTo(503);
            assertThat(answer.getHeaderString("X-Beehive-Write-Applied")).isEqualTo("unknown");
            assertThat(answer.getEntity()).isInstanceOfSatisfying(UnavailableMessage.class,
                    m -> assertThat(m.applied()).isEqualTo("unknown"));
        }
    }

    @Test
    void theLeadersAnswerComesBackWithItsRetryHeaders() throws Exception {
        HttpServer leader = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        leader.createContext("/", exchange -> {
            String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
            byte[] body = ("{\"applied\":\"unknown\",\"ifMatch\":" + ifMatch + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Retry-After", "3");
            exchange.getResponseHeaders().add("X-Beehive-Write-Applied", "unknown");
            exchange.getResponseHeaders().add("ETag", "\"7\"");
            exchange.getResponseHeaders().add("X-Unrelated", "dropped");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        leader.start();
        try {
            LeaderForwarder.Answer answer = forwarder.forward("127.0.0.1:" + leader.getAddress().getPort(), "PATCH",
                    "/v1/jobs/x", Map.of("Content-Type", "application/json", "If-Match", "\"7\""),
                    "{}".getBytes());
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.headers()).containsEntry("X-Beehive-Write-Applied", "unknown")
                    .containsEntry("Retry-After", "3").containsEntry("ETag", "\"7\"")
                    .doesNotContainKey("X-Unrelated");
            // If-Match crossed on the way there (the leader checks the version, not the follower).
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"ifMatch\":\"7\"");
        } finally {
            leader.stop(0);
        }
    }
}
