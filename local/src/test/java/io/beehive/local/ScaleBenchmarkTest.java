package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale figures of the local master with the TIMER executor: launching and reporting 10,000 tasks (every update
 * acknowledged over HTTP), and answering an explicit reconciliation of 100,000 tasks. Prints figures; asserts only
 * that everything arrived.
 */
@Tag("benchmark")
class ScaleBenchmarkTest {

    private static final int TASKS = 10_000;
    private static final int RECONCILED = 100_000;

    @TempDir
    Path workDir;

    @Test
    void launchTenThousandAndReconcileHundredThousand() throws Exception {
        AgentSpec big = new AgentSpec("agent-0", 100_000, 10_000_000, 10_000_000, List.<long[]>of(new long[] {31000, 32000}), Map.of());
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agent(big)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).timerExecutorStepDelay(Duration.ofMillis(1))
                .build());
             RawScheduler scheduler = new RawScheduler(cluster.leaderUri())) {
            scheduler.subscribe("{\"user\":\"root\",\"name\":\"bench\",\"failover_timeout\":3600}");
            JsonNode offer = scheduler.awaitOffer();
            java.util.concurrent.atomic.AtomicInteger startingArrived = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicLong allStartingAt = new java.util.concurrent.atomic.AtomicLong();
            scheduler.onEvent = e -> {
                if ("TASK_STARTING".equals(e.path("update").path("status").path("state").asText())
                    && startingArrived.incrementAndGet() == TASKS) {
                    allStartingAt.set(System.nanoTime());
                }
            };

            long t0 = System.nanoTime();
            StringBuilder tasks = new StringBuilder();
            for (int i = 0; i < TASKS; i++) {
                if (i > 0) {
                    tasks.append(',');
                }
                tasks.append("{\"name\":\"t\",\"task_id\":{\"value\":\"task-").append(i).append("\"},\"agent_id\":")
                    .append(offer.path("agent_id")).append(",\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\","
                        + "\"scalar\":{\"value\":0.01}},{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1}}],"
                        + "\"command\":{\"value\":\"sleep 1000\"}}");
            }
            HttpResponse<String> accepted = scheduler.call("ACCEPT", "accept", "{\"offer_ids\":[" + offer.path("id")
                + "],\"operations\":[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[" + tasks + "]}}]}");
            assertThat(accepted.statusCode()).isEqualTo(202);
            long acceptMillis = (System.nanoTime() - t0) / 1_000_000;

            Acker acker = new Acker(cluster.leaderUri(), scheduler);
            Set<String> running = new HashSet<>();

            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (running.size() < TASKS && System.nanoTime() < deadline) {
                JsonNode e = scheduler.events.poll(1, TimeUnit.SECONDS);
                if (e == null || !"UPDATE".equals(e.path("type").asText())) {
                    continue;
                }
                acker.ack(e);
                if ("TASK_RUNNING".equals(e.path("update").path("status").path("state").asText())) {
                    running.add(e.path("update").path("status").path("task_id").path("value").asText());
                }
            }
            long launchMillis = (System.nanoTime() - t0) / 1_000_000;
            long startingMillis = allStartingAt.get() == 0 ? -1 : (allStartingAt.get() - t0) / 1_000_000;
            acker.drain();
            assertThat(running).hasSize(TASKS);

            long t1 = System.nanoTime();
            StringBuilder entries = new StringBuilder();
            for (int i = 0; i < RECONCILED; i++) {
                if (i > 0) {
                    entries.append(',');
                }
                entries.append("{\"task_id\":{\"value\":\"task-").append(i).append("\"}}");
            }
            assertThat(scheduler.call("RECONCILE", "reconcile", "{\"tasks\":[" + entries + "]}").statusCode()).isEqualTo(202);
            int answers = 0;
            int running2 = 0;
            while (answers < RECONCILED && System.nanoTime() < deadline) {
                JsonNode e = scheduler.events.poll(1, TimeUnit.SECONDS);
                if (e == null || !"UPDATE".equals(e.path("type").asText())
                    || !"REASON_RECONCILIATION".equals(e.path("update").path("status").path("reason").asText())) {
                    continue; // e.g. a retried launch update whose ACK was still in flight
                }
                answers++;
                if ("TASK_RUNNING".equals(e.path("update").path("status").path("state").asText())) {
                    running2++;
                }
            }
            long reconcileMillis = (System.nanoTime() - t1) / 1_000_000;

            System.out.printf("BENCHMARK launch: ACCEPT of %d tasks answered in %d ms; all %d STARTING received after"
                + " %d ms; all RUNNING (STARTING and RUNNING each acknowledged over HTTP, %d ACK calls, %d in flight)"
                + " after %d ms (%.0f tasks/s)%n", TASKS, acceptMillis, TASKS, startingMillis, acker.sent,
                Acker.IN_FLIGHT, launchMillis, TASKS * 1000.0 / launchMillis);
            System.out.printf("BENCHMARK reconcile: %d explicit entries (%d known) answered with %d UPDATEs in %d ms"
                + " (%.0f answers/s)%n", RECONCILED, TASKS, answers, reconcileMillis, answers * 1000.0 / reconcileMillis);
            assertThat(answers).isEqualTo(RECONCILED);
            assertThat(running2).isEqualTo(TASKS);
        }
    }

    /** Acknowledges updates concurrently (bounded), as a real scheduler's ACK path would. */
    private static final class Acker {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI endpoint;
        private final RawScheduler scheduler;
        static final int IN_FLIGHT = 64;
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private final List<CompletableFuture<?>> pending = new ArrayList<>();
        int sent;

        Acker(URI master, RawScheduler scheduler) {
            this.endpoint = master.resolve("/api/v1/scheduler");
            this.scheduler = scheduler;
        }

        void ack(JsonNode update) throws InterruptedException {
            JsonNode status = update.path("update").path("status");
            if (!status.hasNonNull("uuid")) {
                return;
            }
            String body = "{\"framework_id\":{\"value\":\"" + scheduler.frameworkId + "\"},\"type\":\"ACKNOWLEDGE\","
                + "\"acknowledge\":{\"agent_id\":" + status.path("agent_id") + ",\"task_id\":" + status.path("task_id")
                + ",\"uuid\":\"" + status.path("uuid").asText() + "\"}}";
            inFlight.acquire();
            sent++;
            pending.add(http.sendAsync(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header("Mesos-Stream-Id", scheduler.streamId).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).whenComplete((r, t) -> inFlight.release()));
        }

        void drain() {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
        }
    }
}
