package io.beehive.scheduler.app.runtime;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.ZooKeeperClients;
import io.beehive.local.LocalCluster;
import io.beehive.local.zk.EmbeddedZooKeeper;
import io.beehive.scheduler.app.BeehiveConfiguration;
import io.beehive.scheduler.app.metrics.ZooKeeperLatencyTracer;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.scheduler.core.FatalError;
import io.beehive.scheduler.core.SchedulerEventListener;
import io.beehive.state.StateStoreConfig;
import io.dropwizard.lifecycle.Managed;
import org.apache.curator.framework.CuratorFramework;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Everything one replica runs, started and stopped in a fixed order: the embedded ZooKeeper and local Mesos cluster
 * (when configured), the Curator client, then (once Jetty has bound the API port, which is the replica's
 * advertised address) the {@link BeehiveScheduler}. Stopping reverses it; closing the scheduler hands leadership
 * over first, so a SIGTERM on the leader is a graceful fail-over.
 */
public final class ReplicaRuntime implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRuntime.class);
    /** Exit code when the replica started serving HTTP but could not join the election: a start-up failure. */
    public static final int EXIT_CANNOT_JOIN = 1;

    private final BeehiveConfiguration config;
    private final MetricRegistry metrics;
    private final FatalExitSignal fatal;
    private final List<SchedulerEventListener> schedulerListeners = new CopyOnWriteArrayList<>();
    /**
     * Written under this object's lock (start and stop hold it throughout), read without it: every API request and
     * health check asks for the phase, and a stop holds the lock for as long as closing ZooKeeper takes (hundreds of
     * ms, more with ZooKeeper away). Requests to a stopping replica must get their 503 at once, so that clients and
     * the load balancer move on to the new leader instead of waiting for the old one to finish stopping.
     */
    private volatile ReplicaPhase phase = ReplicaPhase.NEW;
    private EmbeddedZooKeeper embeddedZooKeeper;
    private LocalCluster localCluster;
    private CuratorFramework zookeeper;
    private volatile BeehiveScheduler scheduler;
    private volatile String selfAddress;

    public ReplicaRuntime(BeehiveConfiguration config, MetricRegistry metrics, FatalExitSignal fatal) {
        this.config = config;
        this.metrics = metrics;
        this.fatal = fatal;
    }

    @Override
    public synchronized void start() throws Exception {
        moveTo(ReplicaPhase.CONNECTING);
        try {
            String connect = config.zookeeper().connect();
            if (config.zookeeper().embedded()) {
                embeddedZooKeeper = EmbeddedZooKeeper.start(config.zookeeper().embeddedPort(),
                        config.zookeeper().embeddedDataDir());
                connect = embeddedZooKeeper.connectString();
                LOG.warn("Embedded ZooKeeper on {} (single machine only: no high availability)", connect);
            }
            if (config.mesos().isLocal()) {
                localCluster = LocalCluster.start(config.mesos().local().toBuilder().build());
                LOG.warn("Local Mesos cluster, leading master {} (single machine only)", localCluster.leaderUri());
            }
            zookeeper = ZooKeeperClients.create(config.zookeeper().settings(connect));
            ZooKeeperLatencyTracer.install(zookeeper, metrics);
            zookeeper.start();
            long waitMs = config.zookeeper().settings(connect).connectionTimeout().toMillis() * 6;
            if (!zookeeper.blockUntilConnected(Math.toIntExact(waitMs), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("cannot reach ZooKeeper at " + connect + " within " + waitMs + " ms");
            }
            LOG.info("Connected to ZooKeeper at {}", connect);
            moveTo(ReplicaPhase.CONNECTED);
        } catch (Exception | Error e) {
            moveTo(ReplicaPhase.FAILED);
            throw e;
        }
    }

    /** Registers an observer of the scheduler's task and phase changes; call before the server starts. */
    public void addSchedulerListener(SchedulerEventListener listener) {
        schedulerListeners.add(listener);
    }

    /** Called once Jetty listens: joins the election under the address the API is reachable at. */
    public synchronized void serverStarted(Server server, int apiPort) {
        if (phase != ReplicaPhase.CONNECTED) {
            LOG.warn("Not joining the election: replica is {}", phase);
            return;
        }
        selfAddress = advertisedHost() + ":" + (config.replica().advertisedPort() > 0
                ? config.replica().advertisedPort() : apiPort);
        try {
            BeehiveScheduler s = new BeehiveScheduler(zookeeper, config.replica().election(selfAddress),
                    StateStoreConfig.withRoot(config.replica().root()), config.mesos().connection(localMasters()),
                    config.coreConfig(), metrics, fatal);
            schedulerListeners.forEach(s::addEventListener);
            s.start();
            scheduler = s;
        } catch (RuntimeException e) {
            // Jetty is already serving; a replica that cannot join the election would answer 503 for ever, so the
            // entry point ends the process instead (start-up failure).
            moveTo(ReplicaPhase.FAILED);
            LOG.error("Replica {} cannot join the election", selfAddress, e);
            fatal.fatal(new FatalError(EXIT_CANNOT_JOIN, "cannot join the election: " + e.getMessage()));
            return;
        }
        moveTo(ReplicaPhase.RUNNING);
        LOG.info("Replica {} joined the election under {}", selfAddress, config.replica().root());
    }

    @Override
    public synchronized void stop() {
        if (phase == ReplicaPhase.STOPPED || phase == ReplicaPhase.STOPPING) {
            return;
        }
        moveTo(ReplicaPhase.STOPPING);
        BeehiveScheduler s = scheduler;
        if (s != null) {
            LOG.info("Replica {} stopping: handing leadership over if it leads", selfAddress);
            closeQuietly("scheduler", s);
        }
        if (zookeeper != null) {
            closeQuietly("ZooKeeper client", zookeeper);
        }
        if (localCluster != null) {
            closeQuietly("local Mesos cluster", localCluster);
        }
        if (embeddedZooKeeper != null) {
            closeQuietly("embedded ZooKeeper", embeddedZooKeeper);
        }
        moveTo(ReplicaPhase.STOPPED);
        LOG.info("Replica {} stopped", selfAddress);
    }

    public ReplicaPhase phase() {
        return phase;
    }

    /** The scheduler facade; throws {@link ReplicaNotReadyException} before it joined the election or once stopping. */
    public BeehiveScheduler scheduler() {
        BeehiveScheduler s = scheduler;
        if (s == null || phase() != ReplicaPhase.RUNNING) {
            throw new ReplicaNotReadyException("this replica is " + phase().name().toLowerCase() + ", not serving yet");
        }
        return s;
    }

    public Optional<BeehiveScheduler> schedulerIfRunning() {
        BeehiveScheduler s = scheduler;
        return s != null && phase() == ReplicaPhase.RUNNING ? Optional.of(s) : Optional.empty();
    }

    public Optional<CuratorFramework> zookeeper() {
        return Optional.ofNullable(zookeeper);
    }

    public Optional<LocalCluster> localCluster() {
        return Optional.ofNullable(localCluster);
    }

    /** {@code host:port} other replicas reach this one at (empty before the API port is bound). */
    public Optional<String> selfAddress() {
        return Optional.ofNullable(selfAddress);
    }

    public String stateRoot() {
        return config.replica().root();
    }

    private String localMasters() {
        if (localCluster == null) {
            return "";
        }
        URI leader = localCluster.leaderUri();
        return leader.getHost() + ":" + leader.getPort();
    }

    private String advertisedHost() {
        String host = config.replica().advertisedHost();
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.warn("Cannot resolve this machine's host name ({}); advertising 127.0.0.1 — set "
                    + "replica.advertisedHost for a multi-machine cluster", e.getMessage());
            return "127.0.0.1";
        }
    }

    private void moveTo(ReplicaPhase next) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("replica cannot go from " + phase + " to " + next);
        }
        LOG.debug("Replica phase {} -> {}", phase, next);
        phase = next;
    }

    private static void closeQuietly(String what, AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Closing the {} failed: {}", what, e.toString());
        }
    }
}
