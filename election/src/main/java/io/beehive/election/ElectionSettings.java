package io.beehive.election;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One replica's election parameters.
 *
 * @param rootPath         Beehive's ZooKeeper root, e.g. {@code /beehive}; the latch is {@code <root>/leader}
 * @param participantId    this replica's advertised API address ({@code host:port}), shown to the others
 * @param handOffTimeout   how long {@code abdicate()} and {@code close()} wait for a successor to take office
 * @param maxTimeInOffice  if present, a leader abdicates after this long, so fail-over is exercised every day
 */
public record ElectionSettings(String rootPath, String participantId, Duration handOffTimeout,
                               Optional<Duration> maxTimeInOffice) {

    public static final Duration DEFAULT_HAND_OFF_TIMEOUT = Duration.ofSeconds(15);

    public ElectionSettings {
        Objects.requireNonNull(rootPath, "rootPath");
        if (!rootPath.startsWith("/") || rootPath.length() < 2 || rootPath.endsWith("/")) {
            throw new IllegalArgumentException("rootPath must be absolute, not / and without a trailing /: "
                    + rootPath);
        }
        Objects.requireNonNull(participantId, "participantId");
        if (participantId.isBlank()) {
            throw new IllegalArgumentException("participantId must be the replica's advertised address");
        }
        Objects.requireNonNull(handOffTimeout, "handOffTimeout");
        if (handOffTimeout.isNegative()) {
            throw new IllegalArgumentException("handOffTimeout must not be negative: " + handOffTimeout);
        }
        Objects.requireNonNull(maxTimeInOffice, "maxTimeInOffice");
        maxTimeInOffice.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("maxTimeInOffice must be positive: " + d);
            }
        });
    }

    public static ElectionSettings of(String rootPath, String participantId) {
        return new ElectionSettings(rootPath, participantId, DEFAULT_HAND_OFF_TIMEOUT, Optional.empty());
    }

    public ElectionSettings withHandOffTimeout(Duration timeout) {
        return new ElectionSettings(rootPath, participantId, timeout, maxTimeInOffice);
    }

    public ElectionSettings withMaxTimeInOffice(Duration max) {
        return new ElectionSettings(rootPath, participantId, handOffTimeout, Optional.of(max));
    }

    public String latchPath() {
        return rootPath + "/leader";
    }

    public String leaderInfoPath() {
        return rootPath + "/leader-info";
    }
}
