package io.beehive.scheduler.app.logs;

import java.nio.charset.StandardCharsets;

/**
 * Log bytes as text. A window or a read ends wherever the byte count says, often inside a multi-byte character:
 * those last bytes (at most 3) are left for the next read instead of becoming U+FFFD, so text read piece by piece
 * is the same as text read at once. Anything else that is not UTF-8 becomes U+FFFD.
 */
final class Utf8Prefix {
    private Utf8Prefix() {
    }

    /** How many leading bytes of {@code data} end on a character boundary (all of them when {@code atEnd}). */
    static int complete(byte[] data, boolean atEnd) {
        if (atEnd || data.length == 0) {
            return data.length;
        }
        // walk back over at most 3 continuation bytes to the lead byte of the last character
        int i = data.length - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (data[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return data.length;
        }
        int lead = data[i] & 0xFF;
        int needed = lead >= 0xF0 && lead < 0xF8 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        boolean cut = needed > 1 && lead < 0xF8 && continuation + 1 < needed;
        return cut ? i : data.length;
    }

    static String text(byte[] data, int length) {
        return new String(data, 0, length, StandardCharsets.UTF_8);
    }
}
