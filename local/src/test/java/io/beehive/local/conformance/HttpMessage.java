package io.beehive.local.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A raw HTTP/1.1 response as the master sent it: status line, headers in arrival order, de-chunked body.
 * Kept as bytes and strings so tests can compare with the recorded traces of a real master.
 */
record HttpMessage(String statusLine, int status, List<Map.Entry<String, String>> headers, byte[] body) {

    Optional<String> header(String name) {
        return headers.stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    List<String> headerNames() {
        return headers.stream().map(h -> h.getKey().toLowerCase(Locale.ROOT)).toList();
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return statusLine + " " + headers + " body=" + bodyText();
    }
}
