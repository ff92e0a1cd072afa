package io.beehive.local.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;

/** A TCP health check: connecting to 127.0.0.1:port within the timeout passes (what mesos-tcp-connect does). */
final class TcpProbe implements TaskProbe {

    private final String host;
    private final int port;

    TcpProbe(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public String kind() {
        return "TCP";
    }

    @Override
    public Outcome run(Duration timeout) {
        int millis = timeout == null ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(host, port), millis);
            return Outcome.pass("1");
        } catch (IOException e) {
            // the real one logs "returned: 0" and the reason below, whatever went wrong
            return Outcome.fail("0", "TCP connection failed");
        }
    }
}
