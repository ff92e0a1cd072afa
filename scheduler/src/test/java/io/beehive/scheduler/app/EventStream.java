package io.beehive.scheduler.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a server-sent event stream in the background and keeps every line, for assertions. */
final class EventStream implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    EventStream(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            Thread t = new Thread(() -> {
                try {
                    r.body().forEach(lines::add);
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

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
