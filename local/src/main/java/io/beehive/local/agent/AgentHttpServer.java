package io.beehive.local.agent;

import io.beehive.local.master.EventLoop;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * One agent's HTTP port on 127.0.0.1, the {@code host:port} the agent advertises in offers and in the master's
 * {@code /state}: {@code /state} and the files API ({@link AgentHandler}). Bound before the agent exists, so
 * that an ephemeral port can be advertised; it answers 503 until {@link #serve} names the agent.
 */
public final class AgentHttpServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final AgentHandler handler;

    /** {@code port} 0: an ephemeral one. */
    public AgentHttpServer(int port) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("agent-http");
        threads.setDaemon(true);
        server = new Server(threads, new ScheduledExecutorScheduler("agent-http-scheduler", true), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        handler = new AgentHandler();
        server.setHandler(handler);
        server.setStopTimeout(1000);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start an agent's HTTP server on port " + port + ": "
                + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** From now on the port answers for this agent, reading its state on {@code loop}. */
    public void serve(LocalAgent agent, EventLoop loop, String masterHostname) {
        handler.serve(agent, loop, masterHostname);
    }

    /** Master-to-agent messages of a cluster whose masters run in other processes ({@code POST /internal/...}). */
    public void acceptMasterMessages(io.beehive.local.http.InternalEndpoint endpoint) {
        handler.acceptMasterMessages(endpoint);
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
