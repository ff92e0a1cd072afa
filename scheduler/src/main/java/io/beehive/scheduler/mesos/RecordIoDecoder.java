package io.beehive.scheduler.mesos;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental RecordIO decoder ({@code <decimal length>\n<payload>}) for the SUBSCRIBE stream.
 *
 * <p>HTTP chunks do not align with records, so bytes are fed as they arrive and only complete records come out.
 * Once a framing error has been seen the decoder is poisoned: the stream position is unknowable, so the only safe
 * thing is to drop the connection. A record is never handed out before all its bytes have arrived.
 */
public final class RecordIoDecoder {

    /** Digits in the length prefix; 20 is enough for any uint64, more is certainly garbage. */
    private static final int MAX_LENGTH_DIGITS = 20;

    private enum Phase { LENGTH, PAYLOAD, FAILED }

    private final int maxRecordSize;
    private Phase phase = Phase.LENGTH;
    private long pendingLength;
    private int lengthDigits;
    private byte[] payload;
    private int payloadFilled;

    public RecordIoDecoder(int maxRecordSize) {
        if (maxRecordSize < 1) {
            throw new IllegalArgumentException("maxRecordSize must be positive: " + maxRecordSize);
        }
        this.maxRecordSize = maxRecordSize;
    }

    /**
     * Consumes all remaining bytes of {@code chunk} and returns the records completed by them, in order.
     *
     * @throws RecordIoException on a malformed prefix or a record above the maximum size; the decoder is unusable after
     */
    public List<byte[]> decode(ByteBuffer chunk) {
        if (phase == Phase.FAILED) {
            throw new RecordIoException("decoder already failed; the connection must be dropped");
        }
        List<byte[]> records = new ArrayList<>(2);
        while (chunk.hasRemaining()) {
            if (phase == Phase.LENGTH) {
                readLength(chunk);
            } else {
                int n = Math.min(chunk.remaining(), payload.length - payloadFilled);
                chunk.get(payload, payloadFilled, n);
                payloadFilled += n;
                if (payloadFilled == payload.length) {
                    records.add(payload);
                    payload = null;
                    phase = Phase.LENGTH;
                }
            }
        }
        return records;
    }

    /** Convenience for tests and benchmarks. */
    public List<byte[]> decode(byte[] bytes, int offset, int length) {
        return decode(ByteBuffer.wrap(bytes, offset, length));
    }

    /** True when no partial record is buffered: a stream that ends here ended cleanly. */
    public boolean atRecordBoundary() {
        return phase == Phase.LENGTH && lengthDigits == 0;
    }

    private void readLength(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                if (lengthDigits == 0) {
                    fail("empty length prefix");
                }
                if (pendingLength == 0) {
                    fail("zero-length record (never sent for scheduler events)");
                }
                payload = new byte[(int) pendingLength];
                payloadFilled = 0;
                pendingLength = 0;
                lengthDigits = 0;
                phase = Phase.PAYLOAD;
                return;
            }
            if (b < '0' || b > '9') {
                fail("unexpected byte 0x" + Integer.toHexString(b & 0xff) + " in length prefix");
            }
            if (++lengthDigits > MAX_LENGTH_DIGITS) {
                fail("length prefix longer than " + MAX_LENGTH_DIGITS + " digits");
            }
            pendingLength = pendingLength * 10 + (b - '0');
            if (pendingLength > maxRecordSize) {
                // Checked while reading digits so that a huge prefix is refused before any allocation.
                fail("record length exceeds the maximum of " + maxRecordSize + " bytes");
            }
        }
    }

    private void fail(String message) {
        phase = Phase.FAILED;
        payload = null;
        throw new RecordIoException(message);
    }
}
