package io.beehive.local.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP and TCP probes against servers in this JVM: what passes, what fails, and that a timeout is kept. */
class TaskProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/no-content", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.createContext("/stuck", exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private HttpProbe http(String path) {
        return new HttpProbe("http", "127.0.0.1", server.getAddress().getPort(), path);
    }

    @Test
    void httpPassesFor2xxAnd3xxFollowingRedirects() {
        assertThat(http("/ok").url()).isEqualTo("http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
        assertThat(http("/ok").run(TIMEOUT)).isEqualTo(TaskProbe.Outcome.pass("200"));
        assertThat(http("/moved").run(TIMEOUT)).as("curl -L").isEqualTo(TaskProbe.Outcome.pass("200"));
        assertThat(http("/no-content").run(TIMEOUT)).isEqualTo(TaskProbe.Outcome.pass("204"));
    }

    @Test
    void httpFailsFor4xxAnd5xx() {
        TaskProbe.Outcome missing = http("/missing").run(TIMEOUT);
        assertThat(missing.passed()).isFalse();
        assertThat(missing.returned()).isEqualTo("404");
        assertThat(missing.failure()).isEqualTo("Unexpected HTTP response code: 404");
        assertThat(http("/broken").run(TIMEOUT).passed()).isFalse();
    }

    @Test
    void httpFailsWhenNothingListensOrTheAnswerTakesLongerThanTheTimeout() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(new HttpProbe("http", "127.0.0.1", closed, "/").run(TIMEOUT).passed()).isFalse();
        long start = System.nanoTime();
        TaskProbe.Outcome stuck = http("/stuck").run(Duration.ofMillis(300));
        assertThat(stuck.passed()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gave up at about the timeout")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void tcpPassesWhenSomethingListens_failsOtherwise() throws IOException {
        assertThat(new TcpProbe("127.0.0.1", server.getAddress().getPort()).run(TIMEOUT))
                .isEqualTo(TaskProbe.Outcome.pass("1"));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(new TcpProbe("127.0.0.1", closed).run(TIMEOUT))
                .isEqualTo(TaskProbe.Outcome.fail("0", "TCP connection failed"));
    }

    @Test
    void stoutPrintsDurationsInItsLargestWholeUnit() {
        assertThat(StoutDuration.format(Duration.ofSeconds(3))).isEqualTo("3secs");
        assertThat(StoutDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(StoutDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5secs");
        assertThat(StoutDuration.format(Duration.ofSeconds(100))).isEqualTo("1.66667mins");
    }
}
