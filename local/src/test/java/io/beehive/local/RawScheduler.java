package io.beehive.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A scheduler in test code speaking raw HTTP/JSON to the local master (no Beehive client exists in local/):
 * one SUBSCRIBE stream read by a minimal RecordIO reader, calls on other connections.
 */
final class RawScheduler implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    private final URI endpoint;
    final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final List<byte[]> records = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile boolean streamEnded;
    String streamId;
    String frameworkId;
    HttpResponse<InputStream> subscribeResponse;
    private Thread reader;
    /** Called on the reader thread for every event as it arrives (before it is queued). */
    volatile java.util.function.Consumer<JsonNode> onEvent = e -> { };

    RawScheduler(URI master) {
        this.endpoint = master.resolve("/api/v1/scheduler");
    }

    /** SUBSCRIBEs with the given framework_info JSON; returns the first event (SUBSCRIBED or ERROR). */
    JsonNode subscribe(String frameworkInfoJson) throws Exception {
        return subscribe(frameworkInfoJson, null);
    }

    JsonNode subscribe(String frameworkInfoJson, String id) throws Exception {
        String body = id == null
            ? "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":" + frameworkInfoJson + "}}"
            : "{\"type\":\"SUBSCRIBE\",\"framework_id\":{\"value\":\"" + id + "\"},\"subscribe\":{\"framework_info\":"
                + frameworkInfoJson.replaceFirst("\\{", "{\"id\":{\"value\":\"" + id + "\"},") + "}}";
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
            .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        subscribeResponse = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (subscribeResponse.statusCode() != 200) {
            throw new IllegalStateException("SUBSCRIBE answered " + subscribeResponse.statusCode());
        }
        streamId = subscribeResponse.headers().firstValue("Mesos-Stream-Id").orElseThrow();
        InputStream in = subscribeResponse.body();
        reader = new Thread(() -> read(in), "raw-scheduler-reader");
        reader.setDaemon(true);
        reader.start();
        JsonNode first = next(Duration.ofSeconds(30));
        if ("SUBSCRIBED".equals(first.path("type").asText())) {
            frameworkId = first.path("subscribed").path("framework_id").path("value").asText();
        }
        return first;
    }

    private void read(InputStream in) {
        try {
            while (true) {
                ByteArrayOutputStream digits = new ByteArrayOutputStream();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        return;
                    }
                    digits.write(c);
                }
                int length = Integer.parseInt(digits.toString(StandardCharsets.US_ASCII));
                byte[] payload = new byte[length];
                int off = 0;
                while (off < length) {
                    int n = in.read(payload, off, length - off);
                    if (n < 0) {
                        return;
                    }
                    off += n;
                }
                records.add(payload);
                JsonNode event = MAPPER.readTree(payload);
                onEvent.accept(event);
                events.add(event);
            }
        } catch (IOException | RuntimeException e) {
            // stream ended
        } finally {
            streamEnded = true;
        }
    }

    JsonNode next(Duration timeout) throws InterruptedException {
        JsonNode e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return e;
    }

    /** Waits for an event of {@code type} matching {@code filter}, skipping others (heartbeats, offers...). */
    JsonNode await(String type, Predicate<JsonNode> filter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode e = events.poll(200, TimeUnit.MILLISECONDS);
            if (e != null && type.equals(e.path("type").asText()) && filter.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event within 30 s");
    }

    JsonNode await(String type) throws InterruptedException {
        return await(type, e -> true);
    }

    JsonNode awaitUpdate(String taskId, String state) throws InterruptedException {
        return await("UPDATE", e -> e.path("update").path("status").path("task_id").path("value").asText().equals(taskId)
            && e.path("update").path("status").path("state").asText().equals(state));
    }

    /** POSTs a call (framework_id and stream id filled in); returns status and body. */
    HttpResponse<String> call(String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (streamId != null) {
            b.header("Mesos-Stream-Id", streamId);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String type, String payloadField, String payloadJson) throws Exception {
        String json = "{\"framework_id\":{\"value\":\"" + frameworkId + "\"},\"type\":\"" + type + "\""
            + (payloadField == null ? "" : ",\"" + payloadField + "\":" + payloadJson) + "}";
        return call(json);
    }

    HttpResponse<String> acknowledge(JsonNode update) throws Exception {
        JsonNode status = update.path("update").path("status");
        return call("ACKNOWLEDGE", "acknowledge", "{\"agent_id\":" + status.path("agent_id") + ",\"task_id\":"
            + status.path("task_id") + ",\"uuid\":\"" + status.path("uuid").asText() + "\"}");
    }

    /** ACCEPTs {@code offer} launching one command task with the given resources. */
    HttpResponse<String> launch(JsonNode offer, String taskId, String command, double cpus, double mem) throws Exception {
        String task = "{\"name\":\"" + taskId + "\",\"task_id\":{\"value\":\"" + taskId + "\"},\"agent_id\":"
            + offer.path("agent_id") + ",\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":"
            + cpus + "}},{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" + mem + "}}],"
            + "\"command\":{\"value\":" + MAPPER.writeValueAsString(command) + "}}";
        return call("ACCEPT", "accept", "{\"offer_ids\":[" + offer.path("id") + "],\"operations\":[{\"type\":\"LAUNCH\","
            + "\"launch\":{\"task_infos\":[" + task + "]}}],\"filters\":{\"refuse_seconds\":0}}");
    }

    JsonNode awaitOffer() throws InterruptedException {
        return await("OFFERS").path("offers").path("offers").get(0);
    }

    @Override
    public void close() {
        if (subscribeResponse != null) {
            try {
                subscribeResponse.body().close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
