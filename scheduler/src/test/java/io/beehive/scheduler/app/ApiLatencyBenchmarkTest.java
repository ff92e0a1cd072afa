package io.beehive.scheduler.app;

import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What "any replica answers" costs: job creation sent to the leader vs. to a follower (one forwarding hop), and
 * reads from the leader's memory vs. a follower's ZooKeeper view. Prints the figures; asserts only that the
 * requests succeeded. Run with {@code ./mvnw -B -Pbench verify}.
 */
@Tag("benchmark")
class ApiLatencyBenchmarkTest {
    private static final AppFixture FIXTURE = new AppFixture();
    private static final int WRITES = 200;
    private static final int READS = 500;

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    @Test
    void forwardingAndFollowerReads() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> leader = FIXTURE.replica();
        leader.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(leader, "/leaderhealth")).statusCode() == 200);
        DropwizardTestSupport<BeehiveConfiguration> follower = FIXTURE.replica();
        follower.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(follower, "/leaderhealth")).statusCode()
                == 503);

        // Warm-up (JIT, connection pools), not measured.
        measure(50, i -> create(leader, "warm-l-" + i));
        measure(50, i -> create(follower, "warm-f-" + i));

        report("POST /v1/jobs on the leader", measure(WRITES, i -> create(leader, "l-" + i)));
        report("POST /v1/jobs on a follower (forwarded)", measure(WRITES, i -> create(follower, "f-" + i)));
        report("GET /v1/jobs/{id} on the leader (memory)", measure(READS, i -> read(leader, "l-" + (i % WRITES))));
        report("GET /v1/jobs/{id} on a follower (ZooKeeper)", measure(READS, i -> read(follower,
                "l-" + (i % WRITES))));
        report("GET /v1/jobs (" + (2 * WRITES + 100) + " jobs) on the leader", measure(50, i -> list(leader)));
        report("GET /v1/jobs (" + (2 * WRITES + 100) + " jobs) on a follower", measure(50, i -> list(follower)));
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }

    private static int create(DropwizardTestSupport<?> r, String id) {
        return Http.post(url(r, "/v1/jobs"), ApiTest.service(id, "sleep 600", 0)).statusCode();
    }

    private static int read(DropwizardTestSupport<?> r, String id) {
        return Http.get(url(r, "/v1/jobs/" + id)).statusCode();
    }

    private static int list(DropwizardTestSupport<?> r) {
        return Http.get(url(r, "/v1/jobs")).statusCode();
    }

    private static long[] measure(int n, IntFunction<Integer> request) {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            int status = request.apply(i);
            micros[i] = (System.nanoTime() - start) / 1000;
            assertThat(status).isBetween(200, 201);
        }
        return micros;
    }

    private static void report(String what, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf("%-48s n=%4d  p50=%6.2f ms  p90=%6.2f ms  p99=%6.2f ms  max=%6.2f ms%n", what,
                sorted.length, sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.9)] / 1000.0,
                sorted[(int) (sorted.length * 0.99)] / 1000.0, sorted[sorted.length - 1] / 1000.0);
    }
}
