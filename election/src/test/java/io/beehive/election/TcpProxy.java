package io.beehive.election;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between one ZooKeeper client and its server that a test can cut: {@link #cut()} closes every
 * relayed connection and refuses new ones until {@link #restore()}. To the client this is a network failure;
 * to the server a client that went silent (its session expires after the session timeout).
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listening;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listening.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String connectString() {
        return "127.0.0.1:" + listening.getLocalPort();
    }

    void cut() {
        refusing = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    void restore() {
        refusing = false;
    }

    @Override
    public void close() {
        closed = true;
        cut();
        closeQuietly(listening);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket downstream = listening.accept();
                if (refusing) {
                    closeQuietly(downstream);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                open.add(downstream);
                open.add(upstream);
                if (refusing) { // cut() ran while we connected
                    closeQuietly(downstream);
                    closeQuietly(upstream);
                    continue;
                }
                pump(downstream, upstream);
                pump(upstream, downstream);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Either side closed: tear the pair down.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
    }
}
