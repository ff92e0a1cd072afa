package io.beehive.local.http;

import java.net.URI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/** A master process's HTTP port on 127.0.0.1: Jetty with no {@code Server} header, serving {@link MasterHandler}. */
public final class MasterHttpServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    public MasterHttpServer(int port, MasterDirectory directory) {
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("master-http");
        threads.setDaemon(true);
        // Daemon scheduler too: Jetty's default one is not, and would keep a JVM that embeds the cluster alive
        // after close().
        server = new Server(threads, new ScheduledExecutorScheduler("master-http-scheduler", true), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Mesos compares Content-Type as an exact string: Jetty must not map "Application/JSON" onto its cached
        // "application/json" field
        http.setHeaderCacheCaseSensitive(true);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(24L * 3600 * 1000);
        server.addConnector(connector);
        server.setHandler(new MasterHandler(directory));
        server.setStopTimeout(2000);
    }

    public MasterHttpServer start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the master's HTTP server: " + e.getMessage(), e);
        }
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // best effort on shutdown
        }
    }
}
