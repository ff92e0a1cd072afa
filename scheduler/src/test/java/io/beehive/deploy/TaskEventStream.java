package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows {@code GET /v1/events} through HAProxy as a client would, reconnecting whenever a fail-over ends the
 * stream, and remembers every task id a {@code task} event reported RUNNING. Events sent while no replica was
 * reachable are missed; that is why the storm also watches the Mesos master.
 */
final class TaskEventStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread reader;
    private volatile boolean closed;
    private volatile InputStream current;

    TaskEventStream(URI uri) {
        this.uri = uri;
        this.reader = new Thread(this::follow, "task-event-stream");
        reader.setDaemon(true);
        reader.start();
    }

    Set<String> runningTaskIds() {
        return Set.copyOf(running);
    }

    int connections() {
        return connections.get();
    }

    private void follow() {
        while (!closed) {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    r.body().close();
                    pause();
                    continue;
                }
                connections.incrementAndGet();
                current = r.body();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while (!closed && (line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            record(line.substring(5).trim());
                        }
                    }
                }
            } catch (IOException e) {
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(String data) {
        try {
            JsonNode event = JSON.readTree(data);
            if ("TASK_RUNNING".equals(event.path("state").asText()) && event.hasNonNull("taskId")) {
                running.add(event.get("taskId").asText());
            }
        } catch (IOException e) {
            // a leader event or a partial line: not a task event
        }
    }

    /** Between reconnection attempts while no replica answers (a client's back-off, not synchronisation). */
    private void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        reader.interrupt();
        reader.join(10_000);
    }
}
