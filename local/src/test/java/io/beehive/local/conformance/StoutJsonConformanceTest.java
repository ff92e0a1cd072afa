package io.beehive.local.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * §6 "Stout JSON rules" (§1.8), observed through what the master accepts and prints: snake_case only, unknown
 * fields ignored, enum names (not numbers), null = unset, numeric strings, "Infinity", base64 bytes, compact
 * printing with defaults emitted and empty repeated fields omitted, nested offers.offers and error.message.
 */
class StoutJsonConformanceTest extends ClusterPerTest {

    private Subscription subscribeJson(String body) {
        return Subscription.openRaw(master, "application/json", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private HttpMessage postJson(String body) {
        return HttpWire.post(master, "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void camelCaseNamesAreIgnoredLikeUnknownFields() {
        // "frameworkInfo" is not a field of Subscribe: the required framework_info is missing
        HttpMessage r = postJson("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":{\"user\":\"u\",\"name\":\"n\"}}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("framework_info");
    }

    @Test
    void unknownFieldsAndNullsAreIgnored_numericAndBooleanStringsAccepted() {
        try (Subscription s = subscribeJson("{\"type\":\"SUBSCRIBE\",\"no_such_field\":{\"x\":[1,2]},\"framework_id\":null,"
                + "\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\",\"frameworkId\":\"ignored\","
                + "\"failover_timeout\":\"10.5\",\"checkpoint\":\"true\",\"hostname\":null}}}")) {
            assertThat(s.status()).as("%s", s.refusal()).isEqualTo(200);
            assertThat(s.awaitType(Event.Type.SUBSCRIBED).getSubscribed().getFrameworkId().getValue())
                    .startsWith(cluster.masterId());
        }
    }

    @Test
    void enumsAreNamesNotNumbers() {
        HttpMessage r = postJson("{\"type\":1,\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\"}}}");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void infinityStringIsParsedAsADouble() {
        // parsed (not a 400), then refused by FrameworkInfo validation: an infinite failover timeout does not fit
        try (Subscription s = subscribeJson("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\","
                + "\"name\":\"n\",\"failover_timeout\":\"Infinity\"}}}")) {
            assertThat(s.status()).as("%s", s.refusal()).isEqualTo(200);
            s.awaitEnd(LONG);
            assertThat(s.types()).containsExactly("ERROR");
        }
    }

    @Test
    void bytesAreBase64_anAckUuidThatIsNotAValidUuidIs400() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("b64").build())) {
            String prefix = "{\"framework_id\":{\"value\":\"" + fw.frameworkId + "\"},\"type\":\"ACKNOWLEDGE\","
                    + "\"acknowledge\":{\"agent_id\":{\"value\":\"" + cluster.agentIds().get(0) + "\"},"
                    + "\"task_id\":{\"value\":\"t\"},\"uuid\":";
            Map<String, String> sid = Map.of("Mesos-Stream-Id", fw.stream.streamId());
            HttpMessage notBase64 = HttpWire.post(master, "application/json",
                    (prefix + "\"%%%\"}}").getBytes(StandardCharsets.UTF_8), sid);
            assertThat(notBase64.status()).isEqualTo(400);
            HttpMessage eightBytes = HttpWire.post(master, "application/json",
                    (prefix + "\"AAAAAAAAAAA=\"}}").getBytes(StandardCharsets.UTF_8), sid);
            assertThat(eightBytes.status()).isEqualTo(400);
            assertThat(eightBytes.bodyText()).isEqualTo("Failed to validate scheduler::Call: Not a valid UUID");
            // 16 bytes are not enough: stout's UUID::fromBytes also wants a version boost knows (trace 11)
            HttpMessage zeros = HttpWire.post(master, "application/json",
                    (prefix + "\"AAAAAAAAAAAAAAAAAAAAAA==\"}}").getBytes(StandardCharsets.UTF_8), sid);
            assertThat(zeros.status()).isEqualTo(400);
            assertThat(zeros.bodyText()).isEqualTo("Failed to validate scheduler::Call: Not a valid UUID");
            HttpMessage version4 = HttpWire.post(master, "application/json",
                    (prefix + "\"AAAAAAAAQAAAAAAAAAAAAA==\"}}").getBytes(StandardCharsets.UTF_8), sid);
            assertThat(version4.status()).isEqualTo(202);
        }
    }

    @Test
    void printedEventsAreCompactSnakeCaseWithDefaultsAndNestedOffers() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("printing").build())) {
            fw.launch("printed", "true");
            fw.stream.awaitUpdate("printed");
            for (Subscription.Received r : fw.stream.history()) {
                String text = r.record().text();
                assertThat(text).doesNotContainPattern("\"[a-z]+[A-Z][a-zA-Z]*\":")   // no camelCase keys
                        .doesNotContain("[]")                                          // empty repeated omitted
                        .doesNotContain("\": ").doesNotContain("\n");
            }
            String offers = fw.stream.history().stream().map(r -> r.record().text())
                    .filter(t -> t.startsWith("{\"type\":\"OFFERS\"")).findFirst().orElseThrow();
            assertThat(offers).startsWith("{\"type\":\"OFFERS\",\"offers\":{\"offers\":[{\"id\":{\"value\":\"");
            assertThat(offers).contains("\"scalar\":{\"value\":2.0}").contains("\"role\":\"*\"");
            String update = fw.stream.history().stream().map(r -> r.record().text())
                    .filter(t -> t.startsWith("{\"type\":\"UPDATE\"")).findFirst().orElseThrow();
            assertThat(update).containsPattern("\"uuid\":\"[A-Za-z0-9+/]{22}==\"")
                    .containsPattern("\"timestamp\":[0-9]+\\.[0-9]+[,}]")
                    .doesNotContainPattern("\"timestamp\":[0-9.]+[eE]");
        }
    }

}
