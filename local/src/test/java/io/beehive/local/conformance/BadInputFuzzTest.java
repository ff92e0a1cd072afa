package io.beehive.local.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input never gives a 500 or a hang: a few hundred malformed bodies (seeded, so a failure reproduces) in both
 * content types, each answered with a 4xx and a plain-text reason; the master still serves a good SUBSCRIBE after.
 */
class BadInputFuzzTest extends ClusterPerClass {

    private static final String VALID_DECLINE =
            "{\"framework_id\":{\"value\":\"fw-0000\"},\"type\":\"DECLINE\",\"decline\":{\"offer_ids\":[{\"value\":\"o\"}],"
                    + "\"filters\":{\"refuse_seconds\":5.0}}}";
    private static final String VALID_SUBSCRIBE =
            "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\"}}}";

    private static List<byte[]> jsonBodies(Random random) {
        List<String> bodies = new ArrayList<>(List.of(
                "", "null", "[]", "42", "\"SUBSCRIBE\"", "{}", "{\"type\":null}", "{\"type\":1}",
                "{\"type\":\"NO_SUCH_CALL\"}", "{\"type\":\"SUBSCRIBE\",\"subscribe\":[]}",
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":5,\"name\":[]}}}",
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"name\":\"no user\"}}}",
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":\"text\"}}",
                "{\"type\":\"ACKNOWLEDGE\",\"framework_id\":{\"value\":\"f\"},\"acknowledge\":{\"agent_id\":{\"value\":\"a\"},"
                        + "\"task_id\":{\"value\":\"t\"},\"uuid\":\"%%%not base64%%%\"}}",
                "{\"type\":\"ACKNOWLEDGE\",\"framework_id\":{\"value\":\"f\"},\"acknowledge\":{\"agent_id\":{\"value\":\"a\"},"
                        + "\"task_id\":{\"value\":\"t\"},\"uuid\":\"AAAA\"}}",
                "{\"type\":\"KILL\",\"framework_id\":{\"value\":\"f\"},\"kill\":{\"task_id\":{\"value\":\"t\"},"
                        + "\"kill_policy\":{\"grace_period\":{\"nanoseconds\":99999999999999999999999999}}}}",
                "{\"type\":\"KILL\",\"framework_id\":{\"value\":\"f\"},\"kill\":{\"task_id\":{\"value\":\"t\"},"
                        + "\"kill_policy\":{\"grace_period\":{\"nanoseconds\":1.5e400}}}}",
                "{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"f\"},\"decline\":{\"offer_ids\":{\"value\":{}}}}",
                "{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"f\"}}",
                "{\"type\":\"TEARDOWN\"}",
                "{\"type\":\"RECONCILE\",\"framework_id\":{\"value\":\"f\"}}",
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\"}}",
                "{\"type\":\"SUBSCRIBE\" \"subscribe\":{}}",
                "\u0000\u0001\u0002", "{\"type\":\"\uD83D\uDE00\"}", "{\"type\":\"SUBSCRIBE\",\"type\":\"TEARDOWN\"}"));
        for (String valid : List.of(VALID_DECLINE, VALID_SUBSCRIBE)) {
            for (int cut = 1; cut < valid.length(); cut += 3) {
                bodies.add(valid.substring(0, cut));
            }
        }
        for (int i = 0; i < 60; i++) {
            // one random byte flipped in a valid non-subscribe call: either unparsable or for an unknown framework
            char[] chars = VALID_DECLINE.toCharArray();
            chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
            bodies.add(new String(chars));
        }
        List<byte[]> result = new ArrayList<>(bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList());
        for (int i = 0; i < 60; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            result.add(junk);
        }
        return result;
    }

    private static List<byte[]> protobufBodies(Random random) {
        List<byte[]> result = new ArrayList<>();
        byte[] subscribe = Wire.PROTOBUF.encode(Calls.subscribe(Calls.framework("fuzz").build()));
        for (int cut = 1; cut < subscribe.length; cut++) {
            result.add(java.util.Arrays.copyOf(subscribe, cut));
        }
        for (int i = 0; i < 80; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            result.add(junk);
        }
        result.add(new byte[] {(byte) 0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}); // over-long varint
        result.add(new byte[] {0x1a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f}); // length beyond the body
        result.add(new byte[] {0x08, 0x63}); // type = 99, unknown enum value
        result.add(new byte[0]);
        return result;
    }

    @Test
    void hundredsOfMalformedBodiesEachGetA4xxWithATextReason() {
        Random random = new Random(20261122L);
        int sent = 0;
        for (Wire wire : Wire.values()) {
            List<byte[]> bodies = wire == Wire.JSON ? jsonBodies(random) : protobufBodies(random);
            for (byte[] body : bodies) {
                HttpMessage r = HttpWire.post(master, wire.contentType, body,
                        Map.of("Mesos-Stream-Id", "00000000-0000-0000-0000-000000000000"));
                String what = wire + " body " + java.util.Base64.getEncoder().encodeToString(body) + " -> " + r;
                assertThat(r.status()).as(what).isBetween(400, 499);
                assertThat(r.header("Content-Type")).as(what).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
                assertThat(r.bodyText()).as(what).isNotBlank();
                sent++;
            }
        }
        assertThat(sent).isGreaterThan(300);
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("still-alive").build())) {
            assertThat(fw.stream.awaitType(Event.Type.HEARTBEAT)).isNotNull();
        }
    }

    @Test
    void wrongContentTypesWithGarbageBodiesGet415Or400NeverMore() {
        Random random = new Random(7);
        for (String contentType : List.of("application/json; charset=utf-8", "text/plain", "application/octet-stream",
                "application/x-protobuf; proto=mesos", "", "application/jsonx")) {
            for (int i = 0; i < 10; i++) {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                HttpMessage r = HttpWire.post(master, contentType, junk, Map.of());
                assertThat(r.status()).as("%s -> %s", contentType, r).isIn(400, 415);
                assertThat(r.bodyText()).isNotBlank();
            }
        }
    }
}
