package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Delay before relaunching a failed task: {@code initial * factor^(failures-1)}, capped at {@code max}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackoffPolicy(long initialMillis, long maxMillis, double factor) {
    public static final BackoffPolicy DEFAULT = new BackoffPolicy(1_000, 300_000, 2.0);

    public BackoffPolicy {
        Checks.notNegative(initialMillis, "backoff initialMillis");
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff maxMillis (" + maxMillis + ") must be at least initialMillis ("
                    + initialMillis + ")");
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor must be a finite number >= 1, got " + factor);
        }
    }

    /** The delay before the attempt that follows {@code failures} consecutive failures (0 = no delay). */
    public long delayMillis(int failures) {
        if (failures <= 0) {
            return 0;
        }
        double delay = initialMillis * Math.pow(factor, failures - 1);
        return delay >= maxMillis ? maxMillis : (long) delay;
    }
}
