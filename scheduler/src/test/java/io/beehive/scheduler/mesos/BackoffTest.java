package io.beehive.scheduler.mesos;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999999);
        long[] expectedBase = {100, 200, 400, 800, 1000, 1000};
        for (long base : expectedBase) {
            assertThat(low.nextDelay().toMillis()).isEqualTo(base / 2);
            assertThat(high.nextDelay().toMillis()).isBetween(base - 1, base);
        }
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.0);
        b.nextDelay();
        b.nextDelay();
        b.nextDelay();
        b.reset();
        assertThat(b.nextDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(b.failures()).isEqualTo(1);
    }

    @Test
    void manyFailuresDoNotOverflow() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(15), () -> 0.5);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            last = b.nextDelay();
        }
        assertThat(last).isBetween(Duration.ofMillis(7500), Duration.ofSeconds(15));
    }
}
