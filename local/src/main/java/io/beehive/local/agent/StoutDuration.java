package io.beehive.local.agent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/** Durations printed the way stout prints them in Mesos's messages and logs: {@code 3secs}, {@code 500ms}. */
final class StoutDuration {

    /** what an ostream prints by default */
    private static final MathContext SIGNIFICANT_DIGITS = new MathContext(6);

    private StoutDuration() {}

    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos >= 86_400_000_000_000L) {
            return number(nanos, 86_400_000_000_000L) + "days";
        } else if (nanos >= 3_600_000_000_000L) {
            return number(nanos, 3_600_000_000_000L) + "hrs";
        } else if (nanos >= 60_000_000_000L) {
            return number(nanos, 60_000_000_000L) + "mins";
        } else if (nanos >= 1_000_000_000L) {
            return number(nanos, 1_000_000_000L) + "secs";
        } else if (nanos >= 1_000_000L) {
            return number(nanos, 1_000_000L) + "ms";
        } else if (nanos >= 1_000L) {
            return number(nanos, 1_000L) + "us";
        }
        return nanos + "ns";
    }

    private static String number(long nanos, long unit) {
        return BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit), SIGNIFICANT_DIGITS).stripTrailingZeros().toPlainString();
    }
}
