package io.beehive.local.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body, as the operator endpoints read theirs whatever its type. */
final class FormBody {

    private FormBody() {}

    /** @throws IllegalArgumentException for a malformed escape, with the reason as the message */
    static Map<String, String> decode(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = unescape(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
            values.put(name, value);
        }
        return values;
    }

    /** {@code +} is a space, {@code %XX} a byte; the error text is stout's {@code http::decode}'s (trace 11). */
    private static String unescape(String token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c != '%') {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
            } else {
                int high = i + 2 < token.length() ? Character.digit(token.charAt(i + 1), 16) : -1;
                int low = i + 2 < token.length() ? Character.digit(token.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("Malformed % escape in '" + token + "': '"
                        + token.substring(i, Math.min(i + 3, token.length())) + "'");
                }
                bytes.write(high * 16 + low);
                i += 2;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
