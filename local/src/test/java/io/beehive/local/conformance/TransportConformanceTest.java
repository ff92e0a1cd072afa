package io.beehive.local.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * §6 "Transport": content types, Accept negotiation, the §1.3 check order with its status codes and texts,
 * SUBSCRIBE refusals, RecordIO framing, heartbeats. One cluster for the class: each test uses its own framework.
 */
class TransportConformanceTest extends ClusterPerClass {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String UNSUPPORTED = "Expecting 'Content-Type' of application/json or application/x-protobuf";


    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertError(HttpMessage response, int status, String body) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.bodyText()).as("body of %s", response).isEqualTo(body);
        assertThat(response.header("Content-Type")).as("Content-Type of %s", response).contains(TEXT_PLAIN);
    }

    private HttpMessage post(String contentType, String body, Map<String, String> headers) {
        return HttpWire.post(master, contentType, json(body), headers);
    }

    private static final String SUBSCRIBE_JSON =
            "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"x\"}}}";

    // ---- exact-match Content-Type, 415 otherwise; Accept only for SUBSCRIBE --------------------------------------

    @ParameterizedTest
    @CsvSource({"application/json; charset=utf-8", "Application/JSON", "text/plain", "application/protobuf"})
    void exactMatchContentType_anythingElseGets415(String contentType) {
        assertError(post(contentType, SUBSCRIBE_JSON, Map.of()), 415, UNSUPPORTED);
    }

    @Test
    void exactMatchContentType_missingGets400() {
        assertError(post(null, SUBSCRIBE_JSON, Map.of()), 400, "Expecting 'Content-Type' to be present");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NONE|application/json",
            "application/json|application/json",
            "application/x-protobuf|application/x-protobuf",
            "application/*|application/json",
            "*/*|application/json",
            "text/html, application/x-protobuf|application/x-protobuf",
            "application/x-protobuf, application/json|application/json"})
    void acceptNegotiationForSubscribe_jsonPreferred_missingMeansJson(String accept, String expected) {
        for (Wire request : Wire.values()) {
            FrameworkInfo info = Calls.framework("accept-" + request).build();
            try (Subscription s = Subscription.open(master, request, accept.equals("NONE") ? null : accept,
                    Calls.subscribe(info), Map.of())) {
                assertThat(s.status()).as("Accept %s, request %s: %s", accept, request, s.refusal()).isEqualTo(200);
                assertThat(s.head().header("Content-Type")).isEqualTo(expected);
                assertThat(s.awaitType(Event.Type.SUBSCRIBED).getSubscribed().hasFrameworkId()).isTrue();
                teardown(s);
            }
        }
    }

    private void teardown(Subscription s) {
        String fw = s.events().get(0).getSubscribed().getFrameworkId().getValue();
        HttpMessage r = HttpWire.post(master, "application/json", Wire.JSON.encode(Calls.teardown(fw)),
                Map.of("Mesos-Stream-Id", s.streamId()));
        assertThat(r.status()).isEqualTo(202);
    }

    @Test
    void acceptNegotiationForSubscribe_unacceptableGets406() {
        assertError(post("application/json", SUBSCRIBE_JSON, Map.of("Accept", "text/html")), 406,
                "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void acceptIsIgnoredForNonSubscribeCalls(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("accept-ignored").build())) {
            HttpMessage r = HttpWire.post(master, wire.contentType, wire.encode(Calls.suppress(fw.frameworkId)),
                    Map.of("Mesos-Stream-Id", fw.stream.streamId(), "Accept", "text/html"));
            assertThat(r.status()).as("%s", r).isEqualTo(202);
            assertThat(r.body()).isEmpty();
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    // ---- §1.3 check order and status codes ---------------------------------------------------------------------

    @Test
    void checkOrder_methodIsCheckedBeforeContentType() {
        HttpMessage r = HttpWire.exchange(master, "GET", "/api/v1/scheduler", Map.of("Content-Type", "text/plain"), null);
        assertError(r, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
        assertThat(r.header("Allow")).contains("POST");
        HttpMessage put = HttpWire.exchange(master, "PUT", "/master/api/v1/scheduler",
                Map.of("Content-Type", "application/json"), json(SUBSCRIBE_JSON));
        assertError(put, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'PUT'.");
        assertThat(put.header("Allow")).contains("POST");
    }

    @Test
    void checkOrder_unparsableBodyIs400EvenForAnUnknownFramework() {
        HttpMessage r = post("application/json", "{not json", Map.of("Mesos-Stream-Id", "x"));
        assertError(r, 400, "Failed to parse body into JSON: syntax error at line 1 near: not json");
        HttpMessage proto = HttpWire.post(master, "application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02}, Map.of());
        assertThat(proto.status()).as("%s", proto).isEqualTo(400);
        assertThat(proto.bodyText()).isNotBlank();
    }

    @Test
    void checkOrder_callValidationComesBeforeAcceptAndStreamIdChecks() {
        // fails 7 (no 'subscribe'), 8 (Accept) and 9 (stream id): the earliest wins
        assertError(post("application/json", "{\"type\":\"SUBSCRIBE\"}",
                        Map.of("Accept", "text/html", "Mesos-Stream-Id", "00000000-0000-0000-0000-000000000000")),
                400, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
    }

    @Test
    void checkOrder_acceptComesBeforeTheStreamIdHeaderOnSubscribe() {
        HttpMessage r = post("application/json", SUBSCRIBE_JSON,
                Map.of("Accept", "text/html", "Mesos-Stream-Id", "00000000-0000-0000-0000-000000000000"));
        assertThat(r.status()).isEqualTo(406);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void subscribeCarryingMesosStreamIdGets400(Wire wire) {
        HttpMessage r = HttpWire.post(master, wire.contentType,
                wire.encode(Calls.subscribe(Calls.framework("sid").build())),
                Map.of("Mesos-Stream-Id", "00000000-0000-0000-0000-000000000000"));
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.bodyText()).contains("Mesos-Stream-Id");
    }

    @Test
    void subscribeFrameworkIdMismatchGets400() {
        assertError(post("application/json",
                        "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"x\"}},"
                                + "\"framework_id\":{\"value\":\"mismatch\"}}", Map.of()),
                400, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void unknownFrameworkIdGets400NotForbidden_withOrWithoutStreamId(Wire wire) {
        Call decline = Calls.decline("never-seen-0000", 1.0, OfferID.newBuilder().setValue("x").build());
        assertError(HttpWire.post(master, wire.contentType, wire.encode(decline), Map.of()),
                400, "Framework cannot be found");
        assertError(HttpWire.post(master, wire.contentType, wire.encode(decline),
                Map.of("Mesos-Stream-Id", "00000000-0000-0000-0000-000000000000")), 400, "Framework cannot be found");
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void missingOrWrongStreamIdGets400(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("stream-id").build())) {
            Call revive = Calls.revive(fw.frameworkId);
            assertError(HttpWire.post(master, wire.contentType, wire.encode(revive), Map.of()), 400,
                    "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
            String wrong = "00000000-0000-0000-0000-000000000000";
            assertError(HttpWire.post(master, wire.contentType, wire.encode(revive), Map.of("Mesos-Stream-Id", wrong)),
                    400, "The stream ID '" + wrong + "' included in this request didn't match the stream ID "
                            + "currently associated with framework ID " + fw.frameworkId);
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void knownButDisconnectedFrameworkGets403_beforeTheStreamIdCheck(Wire wire) {
        RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("disconnected").setFailoverTimeout(60).build());
        String streamId = fw.stream.streamId();
        fw.close();
        Call revive = Calls.revive(fw.frameworkId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertError(
                HttpWire.post(master, wire.contentType, wire.encode(revive), Map.of("Mesos-Stream-Id", streamId)),
                403, "Framework is not subscribed"));
        // also without any stream id: 13 comes before 15
        assertError(HttpWire.post(master, wire.contentType, wire.encode(revive), Map.of()), 403,
                "Framework is not subscribed");
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void explicitUnknownCallTypeIsRefusedWithoutCrashing(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("unknown-type").build())) {
            Call unknown = Calls.base(fw.frameworkId, Call.Type.UNKNOWN).build();
            HttpMessage r = fw.send(unknown);
            // spec §0.2: a real master aborts here; the local master answers 501 (or 400) instead
            assertThat(r.status()).as("%s", r).isIn(400, 501);
            fw.call(Calls.suppress(fw.frameworkId));
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    // ---- SUBSCRIBE always 200 once call validation passes ------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Wire.class)
    void subscribeRefusalIs200WithStreamIdThenOneErrorThenClose(Wire wire) {
        // suppressed roles must be a subset of the framework's roles: a FrameworkInfo problem, not a call problem
        Call call = Calls.subscribe(Calls.framework("refused").build()).toBuilder()
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(Calls.framework("refused"))
                        .addSuppressedRoles("not-my-role")).build();
        try (Subscription s = Subscription.open(master, wire, call)) {
            assertThat(s.status()).as("%s", s.refusal()).isEqualTo(200);
            assertThat(s.streamId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            s.awaitEnd(Duration.ofSeconds(30));
            assertThat(s.failure()).isNull();
            assertThat(s.types()).containsExactly("ERROR");
            assertThat(s.events().get(0).getError().getMessage()).isNotBlank();
        }
    }

    // ---- RecordIO and heartbeats ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Wire.class)
    void recordIoFramingIsByteAccurateAndTheStreamStartsWithSubscribedThenHeartbeat(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("framing").build())) {
            fw.stream.rewind();
            for (int i = 0; i < 3; i++) {
                fw.stream.awaitType(Event.Type.HEARTBEAT);
            }
            List<Subscription.Received> records = fw.stream.history();
            assertThat(fw.stream.head().header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(records.get(0).event().getType()).isEqualTo(Event.Type.SUBSCRIBED);
            // §0.1: the first HEARTBEAT and the first OFFERS may come in either order
            assertThat(records.get(1).event().getType()).isIn(Event.Type.HEARTBEAT, Event.Type.OFFERS);
            if (records.get(1).event().getType() == Event.Type.OFFERS) {
                assertThat(records.get(2).event().getType()).isEqualTo(Event.Type.HEARTBEAT);
            }
            for (Subscription.Received r : records) {
                assertThat(Integer.parseInt(r.record().lengthText())).isEqualTo(r.record().payload().length);
                if (wire == Wire.JSON) {
                    assertThat(r.record().text()).doesNotContain("\n").doesNotContain("\": ").doesNotContain(", \"");
                }
            }
            if (wire == Wire.JSON) {
                Subscription.Received heartbeat = records.stream()
                        .filter(r -> r.event().getType() == Event.Type.HEARTBEAT).findFirst().orElseThrow();
                assertThat(heartbeat.record().lengthText()).isEqualTo("20");
                assertThat(heartbeat.record().text()).isEqualTo("{\"type\":\"HEARTBEAT\"}");
            }
            Event.Subscribed subscribed = records.get(0).event().getSubscribed();
            assertThat(subscribed.hasMasterInfo()).isTrue();
            assertThat(subscribed.getMasterInfo().getId()).isEqualTo(cluster.masterId());
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void subscribedAdvertisesTheHeartbeatIntervalItReallyUses(Wire wire) {
        // the suite runs the master with a 200 ms heartbeat (TraceFidelityTest checks 15.0 with the real default)
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("interval").build())) {
            assertThat(fw.stream.events().get(0).getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.2);
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    @Test
    void masterPrefixedPathServesTheSameEndpoint() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        HttpMessage r = HttpWire.exchange(master, "POST", "/master/api/v1/scheduler", headers, json("{\"type\":\"SUBSCRIBE\"}"));
        assertError(r, 400, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
    }
}
