package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.beehive.scheduler.app.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant 9 on one replica: a create sent again finds its own job (200) and only a different job of that id is
 * a conflict (409); PATCH and DELETE apply only to the version {@code If-Match} names (412 otherwise), the version a
 * {@code GET} gives as its {@code ETag}.
 */
class RetrySafeWritesTest {
    @RegisterExtension
    static final SingleReplicaApp APP = SingleReplicaApp.active();

    private static String etag(HttpResponse<String> r) {
        return r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + r.headers()));
    }

    @Test
    void aCreateSentAgainFindsItsJobAndOnlyADifferentJobIsAConflict() {
        String spec = ApiTest.service("again", "sleep 600", 0);
        HttpResponse<String> first = Http.post(APP.api("/v1/jobs"), spec);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(etag(first)).isEqualTo("\"1\"");

        // The same definition written differently (members reordered, a default spelt out) is the same job.
        HttpResponse<String> again = Http.post(APP.api("/v1/jobs"), "{\"resources\":{\"memMb\":16,\"cpus\":0.1},"
                + "\"instances\":0,\"killGracePeriodSeconds\":5,\"command\":\"sleep 600\",\"kind\":\"SERVICE\","
                + "\"id\":\"again\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("createdAtMillis")).isEqualTo(json(first).path("createdAtMillis"));
        assertThat(json(again).path("version").asLong()).isEqualTo(1);
        assertThat(etag(again)).isEqualTo("\"1\"");
        assertThat(again.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/v1/jobs/again"));

        for (String other : new String[]{ApiTest.service("again", "sleep 601", 0),
                ApiTest.service("again", "sleep 600", 1),
                spec.replace("}}", "},\"environment\":{\"A\":\"1\"}}")}) {
            HttpResponse<String> conflict = Http.post(APP.api("/v1/jobs"), other);
            assertThat(conflict.statusCode()).as(other + " -> " + conflict.body()).isEqualTo(409);
            assertThat(json(conflict).path("message").asText()).contains("already exists");
        }
        JsonNode now = json(Http.get(APP.api("/v1/jobs/again")));
        assertThat(now.path("version").asLong()).isEqualTo(1);
        assertThat(now.path("command").path("value").asText()).isEqualTo("sleep 600");

        // Once the job has been changed, the original create no longer describes it: a conflict.
        HttpResponse<String> scaled = Http.send("PATCH", APP.api("/v1/jobs/again"), "{\"instances\":1}");
        assertThat(scaled.statusCode()).isEqualTo(200);
        assertThat(Http.post(APP.api("/v1/jobs"), spec).statusCode()).isEqualTo(409);
        // The same scale sent again changes nothing, not even the version.
        HttpResponse<String> scaledAgain = Http.send("PATCH", APP.api("/v1/jobs/again"), "{\"instances\":1}");
        assertThat(scaledAgain.statusCode()).isEqualTo(200);
        assertThat(etag(scaledAgain)).isEqualTo(etag(scaled));
    }

    @Test
    void identicalCreatesRacingEachOtherAllSucceedAndCreateOneJob() throws Exception {
        String spec = ApiTest.service("racing", "sleep 600", 0);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(CompletableFuture.supplyAsync(() -> Http.post(APP.api("/v1/jobs"), spec), clients));
            }
            List<Integer> statuses = sent.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)
                    .toList();
            assertThat(statuses).containsOnly(200, 201);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            clients.shutdownNow();
        }
        assertThat(json(Http.get(APP.api("/v1/jobs/racing"))).path("version").asLong()).isEqualTo(1);
    }

    @Test
    void ifMatchAppliesAWriteOnlyToTheVersionItNames() {
        assertThat(Http.post(APP.api("/v1/jobs"), ApiTest.service("guarded", "sleep 600", 0)).statusCode())
                .isEqualTo(201);
        HttpResponse<String> read = Http.get(APP.api("/v1/jobs/guarded"));
        String tag = etag(read);
        assertThat(tag).isEqualTo("\"" + json(read).path("version").asLong() + "\"");

        // Someone else scales the job after our read: our write, made on what we read, is refused.
        HttpResponse<String> theirs = Http.send("PATCH", APP.api("/v1/jobs/guarded"), "{\"instances\":1}");
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(etag(theirs)).isNotEqualTo(tag);
        HttpResponse<String> stale = Http.send("PATCH", APP.api("/v1/jobs/guarded"), "{\"instances\":0}",
                "If-Match", tag);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(json(stale).path("message").asText()).contains("guarded").contains("If-Match");
        HttpResponse<String> staleUpdate = Http.send("PATCH", APP.api("/v1/jobs/guarded"),
                "{\"command\":\"sleep 700\"}", "If-Match", tag);
        assertThat(staleUpdate.statusCode()).as(staleUpdate.body()).isEqualTo(412);
        assertThat(Http.send("DELETE", APP.api("/v1/jobs/guarded"), null, "If-Match", tag).statusCode())
                .isEqualTo(412);
        JsonNode unchanged = json(Http.get(APP.api("/v1/jobs/guarded")));
        assertThat(unchanged.path("instances").asInt()).isEqualTo(1);
        assertThat(unchanged.path("command").path("value").asText()).isEqualTo("sleep 600");
        assertThat(unchanged.path("goal").asText()).isEqualTo("RUNNING");

        // The current version, quoted as the ETag gives it or bare as people type it, lets the write through.
        String current = etag(Http.get(APP.api("/v1/jobs/guarded")));
        HttpResponse<String> scaled = Http.send("PATCH", APP.api("/v1/jobs/guarded"), "{\"instances\":0}",
                "If-Match", current);
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        assertThat(json(scaled).path("instances").asInt()).isZero();
        String bare = etag(scaled).replace("\"", "");
        HttpResponse<String> updated = Http.send("PATCH", APP.api("/v1/jobs/guarded"), "{\"command\":\"sleep 700\"}",
                "If-Match", bare);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("command").path("value").asText()).isEqualTo("sleep 700");

        // Sending that same write again, as a client unsure whether it landed would: refused, nothing applied twice.
        assertThat(Http.send("PATCH", APP.api("/v1/jobs/guarded"), "{\"command\":\"sleep 700\"}", "If-Match", bare)
                .statusCode()).isEqualTo(412);

        assertThat(Http.send("DELETE", APP.api("/v1/jobs/guarded"), null, "If-Match", "not-a-version").statusCode())
                .isEqualTo(422);
        // The version also moves as the deployment that PATCH started goes on: delete the version it ends at.
        await().atMost(Duration.ofSeconds(30)).until(() -> json(Http.get(APP.api("/v1/jobs/guarded")))
                .path("deployment").isMissingNode());
        HttpResponse<String> deleted = Http.send("DELETE", APP.api("/v1/jobs/guarded"), null, "If-Match",
                etag(Http.get(APP.api("/v1/jobs/guarded"))));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(APP.api("/v1/jobs/guarded")).statusCode() == 404);
    }

    @Test
    void ifMatchStarOnlyNeedsTheJobToExist() {
        assertThat(Http.post(APP.api("/v1/jobs"), ApiTest.service("starred", "sleep 600", 0)).statusCode())
                .isEqualTo(201);
        assertThat(Http.send("PATCH", APP.api("/v1/jobs/starred"), "{\"instances\":0}", "If-Match", "*").statusCode())
                .isEqualTo(200);
        assertThat(Http.send("PATCH", APP.api("/v1/jobs/no-such-job"), "{\"instances\":0}", "If-Match", "*")
                .statusCode()).isEqualTo(404);
    }
}
