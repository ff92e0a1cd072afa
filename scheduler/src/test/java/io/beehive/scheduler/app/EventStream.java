package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a server-sent event stream in the background and keeps every line, for assertions. */
final class EventStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final List<String> lines = new CopyOnWriteArrayList<>();
    /** When each line of {@link #lines} arrived (epoch millis), same index. */
    final List<Long> arrivedAtMillis = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    EventStream(String url, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = builder.build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            Thread t = new Thread(() -> {
                try {
                    r.body().forEach(line -> {
                        arrivedAtMillis.add(System.currentTimeMillis());
                        lines.add(line);
                    });
                } catch (RuntimeException e) {
                    // stream closed by close() or the server
                }
            }, "event-stream-reader");
            t.setDaemon(true);
            t.start();
        });
    }

    int status() {
        return status;
    }

    boolean open() {
        return !lines.isEmpty();
    }

    boolean has(String fragment) {
        return lines.stream().anyMatch(l -> l.contains(fragment));
    }

    /** The JSON data of every event named {@code name} so far, in arrival order. */
    List<JsonNode> events(String name) {
        List<JsonNode> out = new ArrayList<>();
        String current = null;
        for (String line : lines) {
            if (line.startsWith("event:")) {
                current = line.substring(6).trim();
            } else if (line.startsWith("data:") && name.equals(current)) {
                try {
                    out.add(JSON.readTree(line.substring(5).trim()));
                } catch (Exception e) {
                    throw new AssertionError("event data is not JSON: " + line, e);
                }
            } else if (line.isEmpty()) {
                current = null;
            }
        }
        return out;
    }

    /** The states of one job's task events, in arrival order. */
    List<String> taskStates(String jobId) {
        return events("task").stream().filter(e -> e.path("jobId").asText().equals(jobId))
                .map(e -> e.path("state").asText()).toList();
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
