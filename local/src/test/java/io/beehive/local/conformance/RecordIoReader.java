package io.beehive.local.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads RecordIO ({@code <decimal length>\n<payload>}) from a de-chunked stream, strictly: the length must be
 * plain ASCII digits with no sign, padding or CR, so a master that frames sloppily fails the suite.
 */
final class RecordIoReader {

    /** One record as it was framed: the length prefix text and the payload bytes. */
    record Record(String lengthText, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_LENGTH_DIGITS = 20;
    private final InputStream in;

    RecordIoReader(InputStream in) {
        this.in = in;
    }

    /** The next record, or null when the stream ended cleanly between records. */
    Record next() throws IOException {
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                if (digits.size() == 0) {
                    return null;
                }
                throw new IOException("stream ended inside a length prefix '" + digits + "'");
            }
            if (b < '0' || b > '9' || digits.size() >= MAX_LENGTH_DIGITS) {
                throw new IOException("bad byte " + b + " in a RecordIO length prefix after '" + digits + "'");
            }
            digits.write(b);
        }
        String lengthText = digits.toString(StandardCharsets.US_ASCII);
        if (lengthText.isEmpty() || (lengthText.length() > 1 && lengthText.startsWith("0"))) {
            throw new IOException("RecordIO length prefix '" + lengthText + "' is empty or padded");
        }
        int length = Integer.parseInt(lengthText);
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) {
            throw new IOException("stream ended after " + payload.length + " of " + length + " payload bytes");
        }
        return new Record(lengthText, payload);
    }
}
