package io.beehive.local.conformance;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the requests recorded against a real Mesos 1.11 master (src/test/resources/conformance/traces) and
 * compares what matters byte for byte: status lines, error bodies, Content-Type, Mesos-Stream-Id, record
 * lengths and the JSON text of the events modulo ids, uuids, timestamps and ports. The cluster has the real
 * 15 s heartbeat and one agent with the trace agent's hostname and resources, so offers compare exactly.
 */
class TraceFidelityTest {

    @TempDir
    Path workDir;
    LocalCluster cluster;
    URI master;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir)
                .allocationInterval(Duration.ofMillis(100))
                .agent(Clusters.traceAgent()).build());
        master = cluster.leaderUri();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private HttpMessage replay(TraceFile.Exchange exchange, Map<String, String> substitutions) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.headers().forEach((k, v) -> headers.put(k, substitute(v, substitutions)));
        byte[] body = exchange.body() == null ? null
                : substitute(exchange.body(), substitutions).getBytes(StandardCharsets.UTF_8);
        return HttpWire.exchange(master, exchange.method(), exchange.path(), headers, body);
    }

    private static String substitute(String text, Map<String, String> substitutions) {
        String s = text;
        for (Map.Entry<String, String> e : substitutions.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }

    private static void assertSameAsTrace(TraceFile.Exchange expected, HttpMessage actual, Map<String, String> subst) {
        String what = "replay of '" + expected.title() + "'";
        assertThat(actual.statusLine()).as(what).isEqualTo(expected.statusLine());
        assertThat(actual.bodyText()).as(what).isEqualTo(substitute(expected.responseBody(), subst));
        for (String header : List.of("Content-Type", "Allow", "Content-Length")) {
            String want = expected.responseHeader(header);
            if (want != null && !(header.equals("Content-Length") && !subst.isEmpty())) {
                assertThat(actual.header(header)).as(what + " header " + header).contains(want);
            } else if (want == null && !header.equals("Content-Length")) {
                assertThat(actual.header(header)).as(what + " header " + header).isEmpty();
            }
        }
    }

    @Test
    void errorCasesOf04AreAnsweredWithTheSameStatusLineBodyAndHeaders() {
        List<TraceFile.Exchange> cases = TraceFile.exchanges("04-error-cases.txt");
        assertThat(cases).hasSize(8);
        for (TraceFile.Exchange exchange : cases) {
            assertSameAsTrace(exchange, replay(exchange, Map.of()), Map.of());
        }
    }

    /** A JSON SUBSCRIBE as the traces sent it, whose answer must have the head of the recorded streams. */
    private Subscription subscribeJson(String body) {
        Subscription s = Subscription.openRaw(master, "application/json", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Map.of());
        try {
            assertStreamHead(s);
        } catch (AssertionError e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static void assertStreamHead(Subscription s) {
        assertThat(s.head().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(s.head().header("Content-Type")).isEqualTo("application/json");
        assertThat(s.head().header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
        assertThat(s.head().header("Content-Length")).isNull();
        assertThat(s.streamId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    private static void assertRecordMatchesTrace(Subscription.Received actual, RecordIoReader.Record expected) {
        assertThat(Integer.parseInt(actual.record().lengthText())).isEqualTo(actual.record().payload().length);
        assertThat(Normalizer.normalize(actual.record().text())).isEqualTo(Normalizer.normalize(expected.text()));
    }

    @Test
    void subscribeOf02GivesTheSameHeadersAndSubscribedHeartbeatOffersRecords() {
        List<RecordIoReader.Record> trace = TraceFile.records("02-subscribe.body.raw");
        try (Subscription s = subscribeJson(
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"probe\"}}}")) {
            Subscription.Received subscribed = s.awaitReceived(e -> e.getType() == Event.Type.SUBSCRIBED,
                    Subscription.DEFAULT_WAIT, "SUBSCRIBED");
            assertThat(s.history().get(0)).isSameAs(subscribed);
            assertRecordMatchesTrace(subscribed, trace.get(0));
            Subscription.Received heartbeat = s.awaitReceived(e -> e.getType() == Event.Type.HEARTBEAT,
                    Subscription.DEFAULT_WAIT, "HEARTBEAT");
            assertThat(heartbeat.record().lengthText()).isEqualTo("20");
            assertThat(heartbeat.record().payload()).isEqualTo(trace.get(1).payload());
            s.rewind();
            Subscription.Received offers = s.awaitReceived(e -> e.getType() == Event.Type.OFFERS,
                    Subscription.DEFAULT_WAIT, "OFFERS");
            assertRecordMatchesTrace(offers, trace.get(2));
            // the same master id everywhere: framework, offer and agent ids derive from it
            assertThat(subscribed.record().text()).contains("\"framework_id\":{\"value\":\"" + cluster.masterId() + "-0000\"}");
            assertThat(offers.record().text()).contains("\"value\":\"" + cluster.masterId() + "-O")
                    .contains("\"agent_id\":{\"value\":\"" + cluster.agentIds().get(0) + "\"}");

            String fw = cluster.masterId() + "-0000";
            HttpMessage teardown = HttpWire.post(master, "application/json",
                    ("{\"framework_id\": {\"value\": \"" + fw + "\"}, \"type\": \"TEARDOWN\"}").getBytes(StandardCharsets.UTF_8),
                    Map.of("Mesos-Stream-Id", s.streamId()));
            assertThat(teardown.statusLine()).isEqualTo("HTTP/1.1 202 Accepted");
            assertThat(teardown.header("Content-Length")).contains("0");
            assertThat(teardown.body()).isEmpty();
            s.awaitEnd(Duration.ofSeconds(30));
            // no goodbye event on TEARDOWN
            assertThat(s.types()).doesNotContain("ERROR");
        }
    }

    @Test
    void streamIdEnforcementAndFailoverOf05() {
        List<TraceFile.Exchange> calls = TraceFile.exchanges("05-stream-id-and-resubscribe.txt");
        assertThat(calls).extracting(TraceFile.Exchange::title).containsExactly(
                "DECLINE for live framework WITHOUT Mesos-Stream-Id",
                "DECLINE for live framework with WRONG Mesos-Stream-Id",
                "DECLINE with correct Mesos-Stream-Id",
                "REVIVE using the OLD stream id after failover",
                "TEARDOWN with the new stream id");
        Subscription one = subscribeJson(
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"probe-sid\",\"failover_timeout\":60}}}");
        String fw = one.frameworkId();
        String offer = one.awaitType(Event.Type.OFFERS).getOffers().getOffers(0).getId().getValue();
        Map<String, String> subst = new LinkedHashMap<>();
        subst.put("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-0004", fw);
        subst.put("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-O5", offer);
        subst.put("26397e5b-e57c-4421-85dd-28d6b0e24101", one.streamId());
        for (int i = 0; i < 3; i++) {
            assertSameAsTrace(calls.get(i), replay(calls.get(i), subst), subst);
        }
        // the declined offer (refuse 1 s) comes back
        one.awaitType(Event.Type.OFFERS);

        try (Subscription two = subscribeJson("{\"type\": \"SUBSCRIBE\", \"framework_id\": {\"value\": \"" + fw
                + "\"}, \"subscribe\": {\"framework_info\": {\"user\": \"root\", \"name\": \"probe-sid\", \"id\": "
                + "{\"value\": \"" + fw + "\"}, \"failover_timeout\": 60}}}")) {
            assertThat(two.streamId()).isNotEqualTo(one.streamId());
            assertThat(two.frameworkId()).isEqualTo(fw);
            Subscription.Received error = one.awaitReceived(e -> e.getType() == Event.Type.ERROR,
                    Subscription.DEFAULT_WAIT, "ERROR");
            assertThat(error.record().lengthText()).isEqualTo("60");
            assertThat(error.record().text()).isEqualTo("{\"type\":\"ERROR\",\"error\":{\"message\":\"Framework failed over\"}}");
            one.awaitEnd(Duration.ofSeconds(30));
            assertThat(one.history().get(one.history().size() - 1)).isSameAs(error);

            subst.put("08ccb454-7604-437c-b8fa-f7542c87a7ad", two.streamId());
            for (int i = 3; i < 5; i++) {
                assertSameAsTrace(calls.get(i), replay(calls.get(i), subst), subst);
            }
            two.awaitEnd(Duration.ofSeconds(30));
        } finally {
            one.close();
        }
    }

    @Test
    void launchOfEchoHelloOf03GivesTheSameUpdatesAndReconciliationAnswer() {
        List<RecordIoReader.Record> trace = TraceFile.records("03-launch.body.raw");
        try (Subscription s = subscribeJson(
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"probe-launch\",\"checkpoint\":false}}}")) {
            String fw = s.frameworkId();
            String offer = s.awaitType(Event.Type.OFFERS).getOffers().getOffers(0).getId().getValue();
            String agent = cluster.agentIds().get(0);
            Map<String, String> subst = new LinkedHashMap<>();
            subst.put("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-0003", fw);
            subst.put("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-O3", offer);
            subst.put("3fc4bc01-1abd-4a5a-b74c-2a8457c300b6-S0", agent);
            subst.put("5078a2b9-9d21-4545-a7a7-efd39baf481d", s.streamId());
            List<TraceFile.Exchange> calls = TraceFile.exchanges("03-accept-launch-echo.txt");
            TraceFile.Exchange accept = calls.get(0);
            assertThat(accept.title()).isEqualTo("ACCEPT + LAUNCH");
            assertSameAsTrace(accept, replay(accept, subst), subst);

            String[] states = {"TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"};
            for (int i = 0; i < 3; i++) {
                String state = states[i];
                Subscription.Received update = s.awaitReceived(e -> e.getType() == Event.Type.UPDATE
                        && e.getUpdate().getStatus().getState().name().equals(state), Subscription.DEFAULT_WAIT, state);
                RecordIoReader.Record expected = trace.stream()
                        .filter(r -> r.text().contains("\"state\":\"" + state + "\"")).findFirst().orElseThrow();
                assertRecordMatchesTrace(update, expected);
                String uuid = update.event().getUpdate().getStatus().getUuid().toStringUtf8();
                String ackUuid = java.util.Base64.getEncoder().encodeToString(
                        update.event().getUpdate().getStatus().getUuid().toByteArray());
                assertThat(uuid).isNotNull();
                Map<String, String> ackSubst = new LinkedHashMap<>(subst);
                String traceUuid = expected.text().replaceAll(".*\"uuid\":\"([^\"]+)\".*", "$1");
                ackSubst.put(traceUuid, ackUuid);
                TraceFile.Exchange ack = calls.get(1 + i);
                assertThat(ack.title()).isEqualTo("ACKNOWLEDGE " + state);
                assertSameAsTrace(ack, replay(ack, ackSubst), ackSubst);
            }
            TraceFile.Exchange reconcile = calls.get(4);
            assertThat(reconcile.title()).isEqualTo("RECONCILE hello-1");
            assertSameAsTrace(reconcile, replay(reconcile, subst), subst);
            Subscription.Received answer = s.awaitReceived(e -> e.getType() == Event.Type.UPDATE
                    && e.getUpdate().getStatus().getState().name().equals("TASK_LOST"), Subscription.DEFAULT_WAIT, "TASK_LOST");
            RecordIoReader.Record expected = trace.stream().filter(r -> r.text().contains("TASK_LOST")).findFirst().orElseThrow();
            assertRecordMatchesTrace(answer, expected);
        }
    }
}
