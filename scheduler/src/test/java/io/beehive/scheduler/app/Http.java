package io.beehive.scheduler.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the tests: what curl would send, with no client-side JSON help. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    static HttpResponse<String> get(String url, String... headers) {
        return send("GET", url, null, headers);
    }

    static HttpResponse<String> send(String method, String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        try {
            try {
                return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException stale) {
                // The JDK client does not retry a POST on a pooled keep-alive connection the server has just
                // closed (Jetty closes after answering without reading an unused body); curl would open a new
                // one. Retry once: the second attempt gets a fresh connection and its answer is what we assert.
                return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a stream, returns its status as soon as the headers arrive, and hangs up. */
    static int streamStatus(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<java.io.InputStream> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();
            return r.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> post(String url, String body, String... headers) {
        return send("POST", url, body, headers);
    }

    /** The answer's body as JSON; an answer that is not JSON fails the test with its status and body. */
    static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> r) {
        try {
            return JSON_READER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();
}
