package io.beehive.scheduler.mesos;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Follows the Mesos masters' leader group in ZooKeeper: the child {@code json.info_<seq>} with the lowest sequence
 * is the leader, and its data is the leader's MasterInfo as JSON. The children are watched (through a
 * {@link CuratorCache}), so a master failover is noticed without waiting for the old stream to time out.
 */
public final class ZooKeeperMasterDetector implements MasterDetector {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);
    private static final String LABEL = "json.info_";
    // Mesos's own detector uses the same session timeout.
    private static final int SESSION_TIMEOUT_MS = 10_000;

    private final String scheme;
    private final String path;
    private final CuratorFramework curator;
    private final CuratorCache cache;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Optional<URI> leader = Optional.empty();

    public ZooKeeperMasterDetector(String connectString, String path, String scheme) {
        this.scheme = scheme;
        this.path = path;
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(SESSION_TIMEOUT_MS)
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
                .build();
        this.cache = CuratorCache.build(curator, path);
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, oldData, data) -> recompute())
                .forInitialized(this::recompute).build());
        curator.start();
        cache.start();
    }

    static ZooKeeperMasterDetector fromSpec(String spec, String scheme) {
        String rest = spec.substring("zk://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("ZooKeeper master spec must be zk://host:port[,host:port]/path: " + spec);
        }
        return new ZooKeeperMasterDetector(rest.substring(0, slash), rest.substring(slash), scheme);
    }

    @Override
    public Optional<URI> current() {
        return leader;
    }

    @Override
    public void failed(URI master) {
        // ZooKeeper is the authority; a failing leader will disappear from the group on its own.
    }

    @Override
    public void redirectedTo(URI master) {
        // Between a master losing the election and its znode vanishing a 307 may come first; ZooKeeper catches up.
    }

    @Override
    public void onLeaderChange(Runnable listener) {
        listeners.add(listener);
    }

    private synchronized void recompute() {
        Optional<URI> next = Optional.empty();
        long lowest = Long.MAX_VALUE;
        ChildData winner = null;
        for (ChildData child : (Iterable<ChildData>) cache.stream()::iterator) {
            ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(child.getPath());
            if (!pn.getPath().equals(path) || !pn.getNode().startsWith(LABEL)) {
                continue;
            }
            long seq;
            try {
                seq = Long.parseLong(pn.getNode().substring(LABEL.length()));
            } catch (NumberFormatException e) {
                continue;
            }
            if (seq < lowest) {
                lowest = seq;
                winner = child;
            }
        }
        if (winner != null && winner.getData() != null) {
            try {
                next = Optional.of(addressOf(new String(winner.getData(), StandardCharsets.UTF_8), scheme));
            } catch (RuntimeException e) {
                LOG.warn("Cannot read leading master from {}: {}", winner.getPath(), e.getMessage());
            }
        }
        if (!Objects.equals(next, leader)) {
            LOG.info("Leading master according to ZooKeeper {}: {}", path, next.map(URI::toString).orElse("none"));
            leader = next;
            listeners.forEach(Runnable::run);
        }
    }

    /** The scheduler base URI from a {@code json.info_} node's MasterInfo JSON (address first, then legacy fields). */
    static URI addressOf(String json, String scheme) {
        MasterInfo.Builder info = Encoding.Json.parse(json, MasterInfo.newBuilder());
        if (info.hasAddress() && info.getAddress().hasPort()) {
            String host = info.getAddress().hasHostname() ? info.getAddress().getHostname() : info.getAddress().getIp();
            if (host != null && !host.isEmpty()) {
                return MasterUris.of(scheme, host, info.getAddress().getPort());
            }
        }
        if (info.hasHostname() && info.hasPort()) {
            return MasterUris.of(scheme, info.getHostname(), info.getPort());
        }
        if (info.hasPid()) {
            // master@10.0.0.11:5050
            String pid = info.getPid();
            int at = pid.indexOf('@');
            int colon = pid.lastIndexOf(':');
            if (at >= 0 && colon > at) {
                return MasterUris.of(scheme, pid.substring(at + 1, colon), Integer.parseInt(pid.substring(colon + 1)));
            }
        }
        throw new IllegalArgumentException("MasterInfo has no usable address: " + json);
    }

    @Override
    public void close() {
        cache.close();
        curator.close();
    }
}
