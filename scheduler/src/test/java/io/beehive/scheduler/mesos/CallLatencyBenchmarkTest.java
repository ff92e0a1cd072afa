package io.beehive.scheduler.mesos;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Latency of one call (POST until 202) on loopback against the local master, calls sent one after another. */
@Tag("benchmark")
class CallLatencyBenchmarkTest {

    private static final int WARMUP = 500;
    private static final int MEASURED = 3000;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void callLatency(Encoding encoding) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(1).build());
             MesosClient client = new MesosClient(MesosClientConfig.builder()
                     .masters(cluster.leaderUri().getHost() + ":" + cluster.leaderUri().getPort()).encoding(encoding)
                     .frameworkInfo(FrameworkInfo.newBuilder().setUser("bench").setName("latency").build()).build(),
                     new RecordingListener())) {
            client.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.state() == ConnectionState.SUBSCRIBED);
            // DECLINE of an unknown offer: the master parses, validates and answers 202 with no side effect.
            List<OfferID> unknown = List.of(OfferID.newBuilder().setValue("no-such-offer").build());
            long[] nanos = new long[MEASURED];
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                long start = System.nanoTime();
                client.call(SchedulerCalls.decline(unknown, null)).get(30, TimeUnit.SECONDS);
                if (i >= WARMUP) {
                    nanos[i - WARMUP] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("call latency %-8s over %d DECLINE calls: median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                    encoding, MEASURED, pct(nanos, 50), pct(nanos, 90), pct(nanos, 99), nanos[MEASURED - 1] / 1e6);
            assertThat(nanos[0]).isPositive();

            // Throughput with many calls in flight (they queue on the one call connection, in order).
            int burst = 10_000;
            long start = System.nanoTime();
            java.util.concurrent.CompletableFuture<?>[] all = new java.util.concurrent.CompletableFuture<?>[burst];
            for (int i = 0; i < burst; i++) {
                all[i] = client.call(SchedulerCalls.decline(unknown, null));
            }
            java.util.concurrent.CompletableFuture.allOf(all).get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("call throughput %-8s %d DECLINE calls issued at once: %.0f calls/s%n", encoding, burst,
                    burst / seconds);
        }
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
