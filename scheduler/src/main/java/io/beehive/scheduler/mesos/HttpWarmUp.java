package io.beehive.scheduler.mesos;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One HTTP exchange of the Mesos client's kind with a listener of its own, for a standby's warm-up. */
public final class HttpWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(HttpWarmUp.class);

    private HttpWarmUp() {
    }

    /**
     * Sends one POST shaped like a call, through an HTTP client configured as the real ones, to a throwaway listener
     * on the loopback interface that answers 202. A standby runs this (see StandbyWarmUp) so that the JVM has loaded
     * and run Jetty's client (connect, send, parse an answer) before the replica is elected: a new leader's first
     * SUBSCRIBE spent ~250 ms there. Nothing reaches Mesos.
     *
     * @return the listener's answer: 202
     */
    public static int exchange(byte[] body, String contentType) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> answerOnce(listener), "mesos-warm-up-listener");
            answer.setDaemon(true);
            answer.start();
            HttpClient http = MesosClient.newHttpClient("mesos-warm-up", Duration.ofSeconds(1));
            http.start();
            try {
                return http.newRequest("http://" + listener.getInetAddress().getHostAddress() + ":"
                                + listener.getLocalPort() + "/api/v1/scheduler")
                        .method(HttpMethod.POST)
                        .timeout(2, TimeUnit.SECONDS)
                        .headers(h -> {
                            h.put(HttpHeader.CONTENT_TYPE, contentType);
                            h.put(HttpHeader.ACCEPT, contentType);
                        })
                        .body(new BytesRequestContent(body))
                        .send()
                        .getStatus();
            } finally {
                http.stop();
            }
        }
    }

    /** The warm-up's listener: reads one request (head, then the body it announces) and answers 202. */
    private static void answerOnce(ServerSocket listener) {
        try (Socket s = listener.accept()) {
            s.setSoTimeout(2_000);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.length() < 16_384
                    && (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
            s.getOutputStream().write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | NumberFormatException e) {
            LOG.debug("warm-up listener: {}", e.toString());
        }
    }

}
