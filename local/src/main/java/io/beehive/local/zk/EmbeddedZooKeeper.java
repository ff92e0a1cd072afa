package io.beehive.local.zk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A standalone ZooKeeper server inside this JVM, on ZooKeeper's own embedded API. Port 0 picks a free port.
 * Used by the local cluster's command line and by the application's embedded default.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    private final ZooKeeperServerEmbedded server;
    private final int port;
    private final Path dataDir;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a server on 127.0.0.1:{@code port} (0 = ephemeral) keeping its data in {@code dataDir} (null = temporary). */
    public static EmbeddedZooKeeper start(int port, Path dataDir) {
        try {
            Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("beehive-zk");
            int actualPort = port != 0 ? port : freePort();
            Properties p = new Properties();
            p.setProperty("clientPort", Integer.toString(actualPort));
            p.setProperty("clientPortAddress", "127.0.0.1");
            p.setProperty("tickTime", "500");
            p.setProperty("initLimit", "10");
            p.setProperty("syncLimit", "5");
            p.setProperty("maxSessionTimeout", "60000");
            p.setProperty("admin.enableServer", "false");
            p.setProperty("4lw.commands.whitelist", "ruok,stat,srvr,mntr");
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(dir).configuration(p).exitHandler(org.apache.zookeeper.server.embedded.ExitHandler.LOG_ONLY)
                .build();
            server.start(30_000);
            return new EmbeddedZooKeeper(server, actualPort, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded ZooKeeper: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
    }
}
