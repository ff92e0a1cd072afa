package io.beehive.scheduler.app.events;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code /v1/events} client. Producers (the scheduling core, the leader watch, a relay) only {@link #offer} to
 * a bounded queue, which never blocks; the channel's own sender thread writes to the client. A client that falls
 * more than the queue's capacity behind is dropped: its queue is emptied, it gets one {@code dropped} event saying
 * why, and the stream ends. While nothing happens the sender writes an SSE comment every heartbeat, so proxies
 * (HAProxy's {@code timeout server}) keep the stream open and a vanished client is noticed.
 *
 * <pre>
 * OPEN → DROPPING → CLOSED      (fell behind: the last event is "dropped")
 * OPEN → CLOSED                 (client went away, or the server stops)
 * </pre>
 */
final class SubscriberChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberChannel.class);
    /** A blocked write to a client that stopped reading gives up after this; the channel then closes. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    enum State { OPEN, DROPPING, CLOSED }

    private final String name;
    private final SseEventSink sink;
    private final Sse sse;
    private final BlockingQueue<BeehiveEvent> queue;
    private final int capacity;
    private final Duration heartbeat;
    private final Runnable onClosed;
    private final Runnable onDropped;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final Thread sender;
    private long nextId = 1;

    SubscriberChannel(String name, SseEventSink sink, Sse sse, int capacity, Duration heartbeat, Runnable onClosed,
                      Runnable onDropped) {
        this.name = name;
        this.sink = sink;
        this.sse = sse;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // +1: room for the "dropped" event
        this.heartbeat = heartbeat;
        this.onClosed = onClosed;
        this.onDropped = onDropped;
        this.sender = new Thread(this::sendLoop, "beehive-events-" + name);
        this.sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    State state() {
        return state.get();
    }

    boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /** Never blocks. Returns false once the channel no longer takes events. */
    boolean offer(BeehiveEvent event) {
        if (state.get() != State.OPEN) {
            return false;
        }
        if (queue.size() < capacity && queue.offer(event)) {
            return true;
        }
        if (state.compareAndSet(State.OPEN, State.DROPPING)) {
            int lost = queue.size();
            queue.clear();
            queue.offer(BeehiveEvent.dropped(Instant.now().toString(), "this client read events too slowly ("
                    + lost + " waiting) and is disconnected; reconnect and re-read /v1/tasks for the current state"));
            LOG.warn("Event subscriber {} fell {} events behind; dropping it", name, lost);
            onDropped.run();
        }
        return false;
    }

    /** Ends the stream now (server stopping, or the client is gone). Idempotent. */
    void close() {
        if (state.getAndSet(State.CLOSED) != State.CLOSED) {
            sender.interrupt();
            closeSink();
            onClosed.run();
        }
    }

    private void sendLoop() {
        try {
            send(sse.newEventBuilder().comment("beehive events").build());
            while (state.get() != State.CLOSED) {
                BeehiveEvent event = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    send(sse.newEventBuilder().comment("heartbeat").build());
                    continue;
                }
                send(sse.newEventBuilder().id(Long.toString(nextId++)).name(event.type())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(BeehiveEvent.class, event).build());
                if (BeehiveEvent.DROPPED.equals(event.type())) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Event subscriber {} gone: {}", name, e.toString());
        }
        close();
    }

    private void send(OutboundSseEvent event) throws Exception {
        if (sink.isClosed()) {
            throw new IllegalStateException("client closed the stream");
        }
        try {
            sink.send(event).toCompletableFuture().get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("client did not take an event within " + SEND_TIMEOUT, e);
        }
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing event stream {}: {}", name, e.toString());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
