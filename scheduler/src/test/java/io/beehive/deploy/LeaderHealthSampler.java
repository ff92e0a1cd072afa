package io.beehive.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks one replica's {@code /leaderhealth} over and over, one request per millisecond at most, the way a load
 * balancer would (but far more often), and keeps every status with its time. The first request can be put on the
 * wire before a frozen process is woken ({@link #queueFirst}): the kernel accepts the connection and holds the
 * request, so it is the first thing the woken process can answer.
 */
final class LeaderHealthSampler {
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** One answer: when it came (ms after the reference time) and its HTTP status. */
    record Sample(double afterMillis, int status) {
    }

    private final URI leaderHealth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private CompletableFuture<HttpResponse<Void>> first;

    LeaderHealthSampler(URI leaderHealth) {
        this.leaderHealth = leaderHealth;
    }

    /** Sends the first request now, without waiting for its answer. */
    void queueFirst() {
        first = http.sendAsync(request(), HttpResponse.BodyHandlers.discarding());
    }

    /** The queued request's answer, then a request per millisecond until {@code endNanos}; times from {@code fromNanos}. */
    List<Sample> sampleUntil(long fromNanos, long endNanos) throws IOException, InterruptedException {
        List<Sample> samples = new ArrayList<>();
        if (first != null) {
            try {
                int status = first.get(30, TimeUnit.SECONDS).statusCode();
                samples.add(new Sample((System.nanoTime() - fromNanos) / 1e6, status));
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the request queued before the wake-up got no answer", e);
            }
        }
        long next = System.nanoTime();
        while (System.nanoTime() - endNanos < 0) {
            int status = http.send(request(), HttpResponse.BodyHandlers.discarding()).statusCode();
            samples.add(new Sample((System.nanoTime() - fromNanos) / 1e6, status));
            next += PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // the sampling rate, not a wait for a result
            } else {
                next = System.nanoTime(); // behind (a slow answer): no burst to catch up
            }
        }
        return samples;
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(leaderHealth).timeout(Duration.ofSeconds(30)).GET().build();
    }
}
