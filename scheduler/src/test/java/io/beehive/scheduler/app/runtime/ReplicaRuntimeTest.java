package io.beehive.scheduler.app.runtime;

import com.codahale.metrics.MetricRegistry;
import io.beehive.scheduler.app.BeehiveConfiguration;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ReplicaRuntimeTest {
    /**
     * start() and stop() hold the runtime's lock from beginning to end; a stop closes ZooKeeper, which takes hundreds
     * of ms (a deploy benchmark saw a /leaderhealth answer and a POST held 325 and 261 ms by a stopping leader). What
     * every request asks (the phase, the scheduler) must not wait for that.
     */
    @Test
    void requestsAreAnsweredWhileAStartOrStopHoldsTheRuntime() throws Exception {
        ReplicaRuntime runtime = new ReplicaRuntime(new BeehiveConfiguration(), new MetricRegistry(),
                new FatalExitSignal());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stopping = new Thread(() -> {
            synchronized (runtime) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "holds-the-runtime");
        stopping.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(CompletableFuture.supplyAsync(runtime::phase).get(5, TimeUnit.SECONDS))
                    .isEqualTo(ReplicaPhase.NEW);
            assertThat(CompletableFuture.supplyAsync(() -> catchThrowable(runtime::scheduler)).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ReplicaNotReadyException.class).hasMessageContaining("this replica is new");
            assertThat(CompletableFuture.supplyAsync(runtime::schedulerIfRunning).get(5, TimeUnit.SECONDS)).isEmpty();
        } finally {
            release.countDown();
            stopping.join();
        }
    }
}
