package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What reading task logs through the API costs, with the shipped {@code api.logs} defaults: a whole 8 MiB stdout
 * read in 1 MiB windows, the latency of one 64 KiB window, and how late a line printed by a running task reaches a
 * follow ({@code date +%s%N} in the line against the arrival, same machine clock). Prints the figures; asserts
 * only that the bytes and lines arrived. Run with {@code ./mvnw -B -Pbench verify}.
 */
@Tag("benchmark")
class TaskLogsBenchmarkTest {
    private static final AppFixture FIXTURE = new AppFixture();
    private static final long BIG = 8L * 1024 * 1024;
    private static final long WINDOW = 1024 * 1024;

    @AfterAll
    static void close() throws Exception {
        FIXTURE.close();
    }

    @Test
    void windowsAndFollowLatency() throws Exception {
        DropwizardTestSupport<BeehiveConfiguration> leader = FIXTURE.replica();
        leader.before();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url(leader, "/v1/state")).statusCode() == 200
                && Http.json(Http.get(url(leader, "/v1/state"))).path("phase").asText().equals("ACTIVE"));

        String big = task(leader, "big", "yes 0123456789abcde | head -c " + BIG, "finished");
        long started = System.nanoTime();
        long read = 0;
        while (read < BIG) {
            JsonNode w = Http.json(Http.get(url(leader, "/v1/tasks/" + big + "/logs/stdout?offset=" + read
                    + "&length=" + WINDOW)));
            read += w.path("length").asLong();
        }
        long wholeMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(read).isEqualTo(BIG);
        System.out.printf("8 MiB stdout in 1 MiB windows: %d ms (%.1f MiB/s)%n", wholeMs, 8000.0 / wholeMs);
        long[] single = new long[50];
        for (int i = 0; i < single.length; i++) {
            long t = System.nanoTime();
            assertThat(Http.get(url(leader, "/v1/tasks/" + big + "/logs/stdout?offset=" + (i * 65536L)
                    + "&length=65536")).statusCode()).isEqualTo(200);
            single[i] = (System.nanoTime() - t) / 1_000;
        }
        Arrays.sort(single);
        System.out.printf("one 64 KiB window: p50=%.1f ms p90=%.1f ms max=%.1f ms%n", single[25] / 1000.0,
                single[45] / 1000.0, single[49] / 1000.0);

        String ticker = task(leader, "ticker", "for i in $(seq 1 60); do date +%s%N; sleep 0.1; done", "running");
        long openedAt = System.currentTimeMillis();
        String follow = url(leader, "/v1/tasks/" + ticker + "/logs/stdout?follow=true&offset=0");
        try (EventStream stream = new EventStream(follow)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !stream.events("eof").isEmpty());
            List<Long> delays = new ArrayList<>();
            String current = null;
            for (int i = 0; i < stream.lines.size(); i++) {
                String line = stream.lines.get(i);
                if (line.startsWith("event:")) {
                    current = line.substring(6).trim();
                } else if (line.startsWith("data:") && "log".equals(current)) {
                    long arrived = stream.arrivedAtMillis.get(i);
                    String data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(5).trim())
                            .path("data").asText();
                    for (String printed : data.split("\n")) {
                        long printedMs = Long.parseLong(printed.trim()) / 1_000_000;
                        if (printedMs >= openedAt) {
                            delays.add(arrived - printedMs);
                        }
                    }
                }
            }
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            assertThat(sorted.length).isGreaterThan(20);
            System.out.printf("follow (poll 500 ms), line printed -> event received: n=%d p50=%d ms p90=%d ms "
                    + "max=%d ms%n", sorted.length, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
                    sorted[sorted.length - 1]);
        }
    }

    private static String task(DropwizardTestSupport<?> leader, String job, String command, String state) {
        assertThat(Http.post(url(leader, "/v1/jobs"), "{\"id\":\"" + job + "\",\"kind\":\"BATCH\",\"command\":\""
                + command + "\",\"resources\":{\"cpus\":0.1,\"memMb\":16}}").statusCode()).isEqualTo(201);
        return await().atMost(Duration.ofSeconds(60)).until(() -> Http.json(Http.get(url(leader, "/v1/tasks?job="
                + job + "&state=" + state))), t -> t.size() == 1).get(0).path("taskId").asText();
    }

    private static String url(DropwizardTestSupport<?> r, String path) {
        return "http://127.0.0.1:" + r.getLocalPort() + path;
    }
}
