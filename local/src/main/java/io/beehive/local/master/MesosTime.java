package io.beehive.local.master;

import java.time.Instant;

/**
 * Wall-clock times as Mesos prints them: seconds since the epoch as a double with microsecond precision (libprocess'
 * {@code Clock::now().secs()}), e.g. {@code 1796536460.986395}; milliseconds would print {@code 1796536460.986}.
 */
public final class MesosTime {

    private MesosTime() {}

    public static double nowSeconds() {
        Instant now = Instant.now();
        return now.getEpochSecond() + (now.getNano() / 1000) / 1e6;
    }
}
