package io.beehive.election;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place a replica's {@link CuratorFramework} is built, so every module sees the same session rules. */
public final class ZooKeeperClients {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperClients.class);

    private ZooKeeperClients() {
    }

    /**
     * Builds (does not start) a client for {@code settings}.
     *
     * <p>No Curator namespace: every Beehive path is absolute, because the leader fence is a {@code check} of
     * the exact latch node path. The error policy is {@link SessionConnectionStateErrorPolicy}: only LOST is an
     * error, so the LeaderLatch keeps leadership through SUSPENDED, and {@link LeaderElection} decides how long
     * (its lease). With digest credentials, every node Beehive creates gets the ACLs of
     * {@link DigestCredentials#acls} (not world-readable), so only clients with the same credentials can read or
     * change it.
     */
    public static CuratorFramework create(ZooKeeperSettings settings) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .sessionTimeoutMs(Math.toIntExact(settings.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(settings.connectionTimeout().toMillis()))
                .retryPolicy(new BoundedExponentialBackoffRetry(
                        Math.toIntExact(settings.retryBaseSleep().toMillis()),
                        Math.toIntExact(settings.retryMaxSleep().toMillis()),
                        settings.retryMaxAttempts()))
                .simulatedSessionExpirationPercent(settings.simulatedSessionExpirationPercent())
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy());
        settings.digestCredentials().ifPresent(credentials -> credentials.applyTo(builder, false));
        LOG.info("ZooKeeper client for {}", settings);
        return builder.build();
    }
}
