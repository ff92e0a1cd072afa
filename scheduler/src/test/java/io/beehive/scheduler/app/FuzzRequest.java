package io.beehive.scheduler.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One request the API fuzz sends: any method, any path and query, any headers, any body (null: none). Its
 * {@link #toString} is what jqwik reports for a failing try, so it shows the request as curl would send it.
 */
record FuzzRequest(String method, String pathAndQuery, Map<String, String> headers, String body) {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** What came back; {@code body} is empty for an event stream, which never ends by itself. */
    record Answer(int status, HttpResponse<?> response, String body) {
    }

    boolean writes() {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")
                && !method.equals("TRACE");
    }

    Answer send(String baseUrl) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::setHeader);
        HttpRequest request = b.build();
        try {
            try {
                return answer(CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream()));
            } catch (IOException stale) {
                // As in Http: a pooled connection the server closed after answering an earlier request without
                // reading its body. A second attempt on a fresh connection is what curl would get.
                return answer(CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream()));
            }
        } catch (IOException e) {
            throw new AssertionError("no answer to " + this + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            boolean stream = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            String body = stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(r.statusCode(), r, body);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(method).append(' ').append(abbreviate(pathAndQuery, 120));
        headers.forEach((k, v) -> s.append(" -H '").append(k).append(": ").append(abbreviate(v, 60)).append('\''));
        if (body != null) {
            s.append(" -d '").append(abbreviate(body, 300)).append("' (").append(body.length()).append(" chars)");
        }
        return s.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
