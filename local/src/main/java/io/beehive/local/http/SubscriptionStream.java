package io.beehive.local.http;

import io.beehive.local.json.StoutJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUBSCRIBE response: a RecordIO stream of events. The master enqueues events from its loop; the HTTP thread
 * that answered the SUBSCRIBE drains the queue onto the socket ({@link #pump}). A write failure, or the client
 * closing its end, ends the stream and is reported once to {@code onClosed}.
 */
public final class SubscriptionStream {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionStream.class);
    private static final Object CLOSE = new Object();

    private final String streamId = UUID.randomUUID().toString();
    private final boolean json;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Consumer<SubscriptionStream> onClosed = s -> {};
    private volatile boolean closed;

    public SubscriptionStream(boolean json) {
        this.json = json;
    }

    public String streamId() {
        return streamId;
    }

    public boolean isJson() {
        return json;
    }

    public boolean isClosed() {
        return closed;
    }

    public void onClosed(Consumer<SubscriptionStream> listener) {
        this.onClosed = listener;
    }

    public void send(Event event) {
        if (!closed) {
            queue.add(event);
        }
    }

    /** Raw bytes outside the RecordIO framing (fault injection). */
    public void sendRaw(byte[] raw) {
        if (!closed) {
            queue.add(raw.clone());
        }
    }

    /** Ends the stream after everything already queued has been written. */
    public void close() {
        queue.add(CLOSE);
    }

    public static byte[] encode(Event event, boolean json) {
        byte[] payload = json ? StoutJson.printBytes(event) : event.toByteArray();
        byte[] prefix = (payload.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + payload.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(payload, 0, out, prefix.length, payload.length);
        return out;
    }

    /**
     * Writes queued events until the stream is closed or the client goes away. While idle it peeks at the socket
     * so that a client closing its end is noticed at once (the client never sends anything after its request).
     */
    void pump(RecordSink sink, SocketChannel channel) {
        List<Object> batch = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        try {
            while (true) {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (channel != null && peerClosed(channel)) {
                        LOG.info("subscriber of stream {} closed its connection", streamId);
                        break;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1024);
                boolean end = false;
                // Everything queued goes out in one write (one chunk per record, as libprocess sends them): one
                // write per event was one system call each, a large share of the master's CPU under a burst of
                // status updates.
                records.clear();
                for (Object item : batch) {
                    if (item == CLOSE) {
                        end = true;
                        break;
                    }
                    records.add(item instanceof Event e ? encode(e, json) : (byte[]) item);
                }
                batch.clear();
                if (!records.isEmpty()) {
                    sink.write(records);
                }
                if (end) {
                    break;
                }
            }
        } catch (IOException e) {
            LOG.info("stream {} broke: {}", streamId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            markClosed();
        }
    }

    void markClosed() {
        if (!closed) {
            closed = true;
            queue.clear();
            onClosed.accept(this);
        }
    }

    private static boolean peerClosed(SocketChannel channel) {
        try {
            if (!channel.isOpen()) {
                return true;
            }
            synchronized (channel.blockingLock()) {
                if (channel.isBlocking()) {
                    return false;
                }
                return channel.read(ByteBuffer.allocate(1)) < 0;
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
