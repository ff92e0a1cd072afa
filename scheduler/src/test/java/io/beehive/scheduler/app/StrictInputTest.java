package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.beehive.scheduler.app.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies are read strictly (issue 18): a field the API does not know and a value of the wrong JSON type are
 * refused with a 422 that names the field by its path, in every body and at every depth, and nothing is created;
 * record invariants are 422s too. {@code /leaderhealth} answers whatever {@code Accept} asks for.
 */
class StrictInputTest {
    @RegisterExtension
    static final SingleReplicaApp APP = SingleReplicaApp.active();

    private static List<String> errors(HttpResponse<String> r) {
        List<String> out = new ArrayList<>();
        json(r).path("errors").forEach(e -> out.add(e.asText()));
        return out;
    }

    /** A valid SERVICE job with {@code extra} (a JSON member, or empty) added, and no instances to launch. */
    private static String job(String id, String extra) {
        return "{\"id\":\"" + id + "\",\"kind\":\"SERVICE\",\"command\":\"sleep 600\",\"instances\":0"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static void assertRefused(HttpResponse<String> r, String expectedError) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(errors(r)).as(r.body()).anySatisfy(e -> assertThat(e).contains(expectedError));
    }

    @Test
    void unknownFieldsAreRefusedNamingThemAtEveryDepth() {
        String[][] cases = {
                {"\"instanses\":3", "unknown field \"instanses\""},
                {"\"resources\":{\"cpu\":1}", "unknown field \"resources.cpu\""},
                {"\"healthCheck\":{\"type\":\"TCP\",\"portIdx\":0}", "unknown field \"healthCheck.portIdx\""},
                {"\"upgradeStrategy\":{\"minimumHealthy\":0.5}", "unknown field \"upgradeStrategy.minimumHealthy\""},
                {"\"constraints\":[{\"field\":\"hostname\",\"operator\":\"UNIQUE\"},{\"field\":\"rack\","
                        + "\"operator\":\"EQUALS\",\"valu\":\"a\"}]", "unknown field \"constraints[1].valu\""},
                // A derived getter the record ignores is not an input either.
                {"\"commandOrArgv\":true", "unknown field \"commandOrArgv\""},
        };
        for (int i = 0; i < cases.length; i++) {
            HttpResponse<String> r = Http.post(APP.api("/v1/jobs"), job("unknown-" + i, cases[i][0]));
            assertRefused(r, cases[i][1]);
            assertThat(Http.get(APP.api("/v1/jobs/unknown-" + i)).statusCode()).isEqualTo(404);
        }
        // The message lists the fields the object does take, so a typo is easy to fix.
        assertThat(errors(Http.post(APP.api("/v1/jobs"), job("unknown-x", "\"instanses\":3"))).get(0))
                .contains("instances");

        assertThat(Http.post(APP.api("/v1/jobs"), job("patched", "")).statusCode()).isEqualTo(201);
        String before = Http.get(APP.api("/v1/jobs/patched")).body();
        assertRefused(Http.send("PATCH", APP.api("/v1/jobs/patched"), "{\"instance\":2}"), "unknown field \"instance\"");
        assertRefused(Http.send("PATCH", APP.api("/v1/jobs/patched"), "{\"resources\":{\"memMB\":64}}"),
                "unknown field \"resources.memMB\"");
        assertThat(Http.get(APP.api("/v1/jobs/patched")).body()).isEqualTo(before);

        String agent = APP.fixture().cluster.agentIds().get(0);
        assertRefused(Http.send("PUT", APP.api("/v1/agents/" + agent + "/blacklist"), "{\"reasn\":\"disk\"}"),
                "unknown field \"reasn\"");
        assertThat(json(Http.get(APP.api("/v1/agents"))).findValuesAsText("agentId")).doesNotContain(agent);
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNotCoerced() {
        String[][] cases = {
                {"{\"id\":true,\"kind\":\"SERVICE\",\"command\":\"x\",\"instances\":0}", "id must be a string, got a "
                        + "boolean"},
                {job("typed-1", "\"instances\":\"3\"").replace("\"instances\":0,", ""),
                        "instances must be an integer, got a string"},
                {job("typed-2", "\"resources\":{\"cpus\":\"1\"}"), "resources.cpus must be a number, got a string"},
                {"{\"id\":\"typed-3\",\"kind\":\"SERVICE\",\"command\":5}", "command must be a string, got an integer"},
                {job("typed-4", "\"environment\":{\"A\":5}"), "environment.A must be a string, got an integer"},
                {"{\"id\":\"typed-5\",\"kind\":\"SERVICE\",\"argv\":\"sleep\"}", "argv must be an array, got a string"},
                {job("typed-6", "\"maxRetries\":2.5"), "maxRetries must be an integer"},
                {job("typed-7", "\"killGracePeriodSeconds\":\"\""), "killGracePeriodSeconds must be an integer"},
                {job("typed-8", "\"upgradeStrategy\":{\"maxFailures\":true}"),
                        "upgradeStrategy.maxFailures must be an integer, got a boolean"},
                {job("typed-9", "\"resources\":[]"), "resources must be an object, got an array"},
                {job("typed-10", "\"maxRetries\":99999999999"), "maxRetries is out of range"},
                {"[]", "the request body must be an object"},
        };
        for (String[] c : cases) {
            assertRefused(Http.post(APP.api("/v1/jobs"), c[0]), c[1]);
        }
        assertThat(Http.get(APP.api("/v1/jobs/true")).statusCode()).isEqualTo(404);
        assertThat(json(Http.get(APP.api("/v1/jobs"))).findValuesAsText("id")).noneMatch(id -> id.startsWith("typed"));

        // JSON has one number type: an integer where a number goes is that number, not a coercion.
        HttpResponse<String> whole = Http.post(APP.api("/v1/jobs"), job("typed-ok", "\"resources\":{\"cpus\":1}"));
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(201);
        assertThat(json(whole).path("resources").path("cpus").asDouble()).isEqualTo(1.0);

        // A PATCH and the blacklist body are read the same way.
        assertRefused(Http.send("PATCH", APP.api("/v1/jobs/typed-ok"), "{\"instances\":\"2\"}"),
                "instances must be an integer, got a string");
        assertThat(json(Http.get(APP.api("/v1/jobs/typed-ok"))).path("instances").asInt()).isZero();
        assertRefused(Http.send("PUT", APP.api("/v1/agents/some-agent/blacklist"), "{\"reason\":{}}"),
                "reason must be a string, got an object");
    }

    @Test
    void recordInvariantsAre422AndMalformedJsonStays400() {
        assertRefused(Http.post(APP.api("/v1/jobs"), "{\"id\":\"blank\",\"kind\":\"SERVICE\",\"command\":\" \"}"),
                "command value must not be empty");
        assertRefused(Http.post(APP.api("/v1/jobs"), job("no-port", "\"healthCheck\":{\"type\":\"TCP\","
                + "\"portIndex\":0}")), "healthCheck.portIndex");
        assertRefused(Http.post(APP.api("/v1/jobs"), job("stuck", "\"upgradeStrategy\":{\"minimumHealthyCapacity\":1.0,"
                + "\"maximumOverCapacity\":0}")), "upgradeStrategy with minimumHealthyCapacity 1.0");
        assertThat(Http.get(APP.api("/v1/jobs/blank")).statusCode()).isEqualTo(404);

        HttpResponse<String> malformed = Http.post(APP.api("/v1/jobs"), job("bad", "\"resources\":{\"cpus\":tru}"));
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        // Where the parser stopped, not Dropwizard's bare "Unable to process JSON".
        assertThat(malformed.body()).contains("malformed JSON at line 1, column").contains("tru");
        assertThat(Http.post(APP.api("/v1/jobs"), "{\"id\": \"x\", ").statusCode()).isEqualTo(400);
    }

    @Test
    void everyUnknownFieldOfABodyIsNamedInOneAnswer() {
        HttpResponse<String> r = Http.post(APP.api("/v1/jobs"), job("many-unknown", "\"instanses\":3,"
                + "\"resources\":{\"cpu\":1,\"extra\":{\"deep\":[1,2]}},\"constraints\":[{\"field\":\"hostname\","
                + "\"operator\":\"UNIQUE\",\"valu\":\"a\"}]"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(errors(r)).as(r.body()).hasSize(4)
                .anySatisfy(e -> assertThat(e).startsWith("unknown field \"instanses\" (known fields: "))
                .anySatisfy(e -> assertThat(e).startsWith("unknown field \"resources.cpu\""))
                .anySatisfy(e -> assertThat(e).startsWith("unknown field \"resources.extra\""))
                .anySatisfy(e -> assertThat(e).startsWith("unknown field \"constraints[0].valu\""));
        assertThat(Http.get(APP.api("/v1/jobs/many-unknown")).statusCode()).isEqualTo(404);
    }

    @Test
    void aMemberGivenTwiceIsRefusedNamingItWhereverItIs() {
        String[][] cases = {
                {"\"instances\":5", "duplicate field \"instances\""},
                {"\"resources\":{\"cpus\":0.1,\"cpus\":4}", "duplicate field \"resources.cpus\""},
                {"\"constraints\":[{\"field\":\"hostname\",\"operator\":\"UNIQUE\",\"field\":\"rack\"}]",
                        "duplicate field \"constraints[0].field\""},
        };
        for (int i = 0; i < cases.length; i++) {
            assertRefused(Http.post(APP.api("/v1/jobs"), job("twice-" + i, cases[i][0])), cases[i][1]);
            assertThat(Http.get(APP.api("/v1/jobs/twice-" + i)).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void leaderHealthAnswersWhateverAcceptSays() {
        for (String accept : new String[]{"application/json", "text/plain", "text/html", "application/xml", "*/*",
                "image/png;q=0.5, application/json", "text/html, application/json;q=0.9"}) {
            HttpResponse<String> r = Http.get(APP.api("/leaderhealth"), "Accept", accept);
            assertThat(r.statusCode()).as(accept + ": " + r.body()).isEqualTo(200);
        }
        HttpResponse<String> asJson = Http.get(APP.api("/leaderhealth"), "Accept", "application/json");
        assertThat(asJson.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(json(asJson).path("status").asText()).isEqualTo("leader");
        HttpResponse<String> asText = Http.get(APP.api("/leaderhealth"), "Accept", "text/html");
        assertThat(asText.body()).isEqualTo("leader\n");
        assertThat(Http.get(APP.api("/leaderhealth")).body()).isEqualTo("leader\n");
    }
}
