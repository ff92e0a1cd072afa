package io.beehive.scheduler.mesos;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Truncated exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time in
 * [base/2, base] where base = min(initial × 2^(n-1), max). The jitter keeps several replicas (or many frameworks)
 * from hammering a recovering master in lock step; the lower half-bound keeps the wait from collapsing to zero.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1); injectable so tests can check the bounds deterministically */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** Records one more failure and returns how long to wait before the next attempt. */
    public synchronized Duration nextDelay() {
        failures++;
        long baseNanos = initial.toNanos();
        for (int i = 1; i < failures && baseNanos < max.toNanos(); i++) {
            baseNanos = Math.min(baseNanos * 2, max.toNanos());
        }
        baseNanos = Math.min(baseNanos, max.toNanos());
        long half = baseNanos / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (baseNanos - half)));
    }

    /** A success: the next failure starts again from the initial delay. */
    public synchronized void reset() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }
}
