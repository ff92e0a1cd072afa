package io.beehive.election;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a replica talks to ZooKeeper. {@link #defaults(String)} gives the values Beehive runs with.
 *
 * <p><b>Session timeout, 10 s.</b> It is the floor of crash fail-over: a replica that dies without closing its
 * session keeps its latch node, and so its leadership, until ZooKeeper expires the session. It is also the
 * tolerance for a replica's stop-the-world pauses and for a ZooKeeper ensemble re-electing its own leader
 * (normally well under 2 s; a leader's lease rides out at least 0.775 of the session timeout without an answer).
 * Marathon and the Mesos master detector use 10 s, Aurora 15 s; 10 s keeps crash fail-over near 10 s while staying
 * five times above ordinary ensemble hiccups. The server caps the value at its {@code maxSessionTimeout} (20 ticks,
 * 40 s with the usual 2 s tick) and raises it to its minimum (2 ticks).
 *
 * <p><b>Simulated session expiration, 100 % (Curator's own default).</b> After this share of the session timeout
 * in SUSPENDED, Curator gives the session up (posts LOST, closes the handle, starts a new session). It decides
 * nothing for a leader: {@link LeaderElection} holds office under a {@link SessionLease} that ends an eighth of the
 * session timeout before the server could expire the session (the arithmetic is there). It must not come earlier
 * than that lease could end, or it would throw away a session that provably lives: it was 33 % while a leader left
 * office 30 % of the session after SUSPENDED, and then a ZooKeeper leader election longer than 1.3 s (4 s session)
 * cost even the followers their sessions. At 100 % it comes only once the server has surely expired the session
 * (SUSPENDED begins after the server last heard from us), which only matters when the client cannot reach any
 * server: on reconnecting, the server itself says whether the session expired.
 *
 * @param connectString                     ZooKeeper ensemble, {@code host:port[,host:port...]}; no chroot
 * @param sessionTimeout                    requested session timeout (the server may adjust it)
 * @param connectionTimeout                 how long one operation waits for a connection before failing
 * @param retryBaseSleep                    first back-off of Curator's operation retries
 * @param retryMaxSleep                     longest back-off between retries
 * @param retryMaxAttempts                  retries per operation
 * @param simulatedSessionExpirationPercent when Curator posts LOST after SUSPENDED, in % of the session timeout
 * @param digestCredentials                 for ZooKeeper digest authentication and Beehive's ACLs, if any
 */
public record ZooKeeperSettings(
        String connectString,
        Duration sessionTimeout,
        Duration connectionTimeout,
        Duration retryBaseSleep,
        Duration retryMaxSleep,
        int retryMaxAttempts,
        int simulatedSessionExpirationPercent,
        Optional<DigestCredentials> digestCredentials) {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_SIMULATED_SESSION_EXPIRATION_PERCENT = 100;

    public ZooKeeperSettings {
        Objects.requireNonNull(connectString, "connectString");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("connectString must name at least one host:port");
        }
        if (connectString.contains("/")) {
            throw new IllegalArgumentException("connectString must not have a chroot (every Beehive path is "
                    + "absolute so that the leader fence checks exactly the latch node): " + connectString);
        }
        requirePositive(sessionTimeout, "sessionTimeout");
        requirePositive(connectionTimeout, "connectionTimeout");
        requirePositive(retryBaseSleep, "retryBaseSleep");
        requirePositive(retryMaxSleep, "retryMaxSleep");
        if (retryMaxAttempts < 0) {
            throw new IllegalArgumentException("retryMaxAttempts must not be negative: " + retryMaxAttempts);
        }
        if (simulatedSessionExpirationPercent < 1 || simulatedSessionExpirationPercent > 100) {
            throw new IllegalArgumentException(
                    "simulatedSessionExpirationPercent must be within 1..100: " + simulatedSessionExpirationPercent);
        }
        Objects.requireNonNull(digestCredentials, "digestCredentials");
    }

    /** Beehive's defaults (see the class comment for why) for the given ensemble. */
    public static ZooKeeperSettings defaults(String connectString) {
        return new ZooKeeperSettings(connectString, DEFAULT_SESSION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT,
                Duration.ofMillis(100), Duration.ofSeconds(2), 5, DEFAULT_SIMULATED_SESSION_EXPIRATION_PERCENT,
                Optional.empty());
    }

    public ZooKeeperSettings withSessionTimeout(Duration timeout) {
        return new ZooKeeperSettings(connectString, timeout, connectionTimeout, retryBaseSleep, retryMaxSleep,
                retryMaxAttempts, simulatedSessionExpirationPercent, digestCredentials);
    }

    public ZooKeeperSettings withConnectionTimeout(Duration timeout) {
        return new ZooKeeperSettings(connectString, sessionTimeout, timeout, retryBaseSleep, retryMaxSleep,
                retryMaxAttempts, simulatedSessionExpirationPercent, digestCredentials);
    }

    public ZooKeeperSettings withSimulatedSessionExpirationPercent(int percent) {
        return new ZooKeeperSettings(connectString, sessionTimeout, connectionTimeout, retryBaseSleep,
                retryMaxSleep, retryMaxAttempts, percent, digestCredentials);
    }

    /** @param userColonPassword {@code user:password}, see {@link DigestCredentials#parse} */
    public ZooKeeperSettings withDigestCredentials(String userColonPassword) {
        return new ZooKeeperSettings(connectString, sessionTimeout, connectionTimeout, retryBaseSleep,
                retryMaxSleep, retryMaxAttempts, simulatedSessionExpirationPercent,
                Optional.of(DigestCredentials.parse(userColonPassword)));
    }

    /** The digest user name, never the password (safe to log). */
    public Optional<String> digestUser() {
        return digestCredentials.map(DigestCredentials::user);
    }

    /** Never prints the password: settings end up in logs. */
    @Override
    public String toString() {
        return "ZooKeeperSettings[connectString=" + connectString
                + ", sessionTimeout=" + sessionTimeout
                + ", connectionTimeout=" + connectionTimeout
                + ", retry=" + retryMaxAttempts + "x(" + retryBaseSleep + ".." + retryMaxSleep + ")"
                + ", simulatedSessionExpirationPercent=" + simulatedSessionExpirationPercent
                + ", digestUser=" + digestUser().orElse("(none)") + "]";
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
