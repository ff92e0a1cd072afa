package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A job whose tasks fail {@code failures} times within {@code windowMillis} is held (not relaunched) until an
 * operator intervenes: it stops a broken job from filling the cluster and ZooKeeper with attempts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CrashLoopGuard(int failures, long windowMillis) {
    public static final CrashLoopGuard DEFAULT = new CrashLoopGuard(10, 600_000);

    public CrashLoopGuard {
        if (failures < 1) {
            throw new IllegalArgumentException("crash-loop failures must be at least 1, got " + failures);
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("crash-loop windowMillis must be positive, got " + windowMillis);
        }
    }
}
