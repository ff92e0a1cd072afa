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
 * (normally well under 2 s). Marathon and the Mesos master detector use 10 s, Aurora 15 s; 10 s keeps crash
 * fail-over near 10 s while staying five times above ordinary ensemble hiccups. The server caps the value at
 * its {@code maxSessionTimeout} (20 ticks, 40 s with the usual 2 s tick) and raises it to its minimum (2 ticks).
 *
 * <p><b>Simulated session expiration, 33 %.</b> After this share of the session timeout in SUSPENDED, Curator
 * gives the session up (posts LOST, starts a new session), so a replica cut off from ZooKeeper does not wait for
 * a session the server has most likely expired already. It no longer decides when a cut-off leader leaves
 * office: {@link LeaderElection} does that itself at 30 % of the session after SUSPENDED, because Curator's LOST
 * can arrive late. The arithmetic behind both: the ZooKeeper client notices a silent partition after its read
 * timeout (2/3 of the session after it last heard from the server) plus 100 ms (its NIO socket's clean-up
 * sleeps that long); 2/3 + 30 % plus that leaves 1/30 of the session minus 100 ms before the server can expire
 * the session (33 ms with a 4 s session, 233 ms with 10 s), and the server rounds the expiry up to its next
 * tick. A connection that breaks loudly (reset, closed) is noticed at once and leaves a full third. The cost:
 * a ZooKeeper outage longer than 30 % of the session timeout (3 s) costs the leader its office.
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
    public static final int DEFAULT_SIMULATED_SESSION_EXPIRATION_PERCENT = 33;

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
