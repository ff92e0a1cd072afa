package io.beehive.scheduler.app.events;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The per-client queue: producers never wait for a client, and a client that falls behind is told and dropped. */
class SubscriberChannelTest {

    /** Jersey's own event builder; broadcasting is not used by the channel. */
    private static final Sse SSE = new Sse() {
        @Override
        public OutboundSseEvent.Builder newEventBuilder() {
            return new OutboundEvent.Builder();
        }

        @Override
        public SseBroadcaster newBroadcaster() {
            throw new UnsupportedOperationException();
        }
    };

    /** A client connection whose writes hang until released, like a client that stopped reading. */
    private static final class StalledClient implements SseEventSink {
        final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean closed;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            sent.add(event);
            if (event.getComment() != null) {
                return CompletableFuture.completedFuture(null); // the opening comment goes through
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aClientThatFallsBehindGetsOneDroppedEventAndIsClosedWithoutBlockingTheProducer() {
        StalledClient client = new StalledClient();
        AtomicInteger closedCalls = new AtomicInteger();
        AtomicInteger droppedCalls = new AtomicInteger();
        SubscriberChannel channel = new SubscriberChannel("slow", client, SSE, 10, Duration.ofMinutes(1),
                closedCalls::incrementAndGet, droppedCalls::incrementAndGet);
        channel.start();
        assertThat(channel.offer(BeehiveEvent.task("t", "first", "job", "TASK_STAGING", null, "agent"))).isTrue();
        // The sender took the first event and is stuck writing it, as with a client that stopped reading.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.sent.size() == 2);
        long start = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            if (channel.offer(BeehiveEvent.task("t", "task-" + i, "job", "TASK_RUNNING", null, "agent"))) {
                accepted++;
            }
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(accepted).isEqualTo(10);
        assertThat(channel.state()).isEqualTo(SubscriberChannel.State.DROPPING);
        assertThat(droppedCalls.get()).isEqualTo(1);
        assertThat(tookMillis).as("offers never wait for the client").isLessThan(10_000);

        client.release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> channel.state() == SubscriberChannel.State.CLOSED);
        assertThat(client.closed).isTrue();
        assertThat(closedCalls.get()).isEqualTo(1);
        OutboundSseEvent last = client.sent.get(client.sent.size() - 1);
        assertThat(last.getName()).isEqualTo("dropped");
        assertThat(((BeehiveEvent) last.getData()).message()).contains("too slowly");
        assertThat(client.sent.stream().filter(e -> "task".equals(e.getName())).count())
                .as("only the event being written when the client stalled; the queued ones were discarded")
                .isEqualTo(1);
    }

    @Test
    void eventsReachAReadingClientInOrderWithIncreasingIds() {
        StalledClient client = new StalledClient();
        client.release.countDown();
        SubscriberChannel channel = new SubscriberChannel("fast", client, SSE, 100, Duration.ofMinutes(1),
                () -> { }, () -> { });
        for (int i = 0; i < 50; i++) {
            assertThat(channel.offer(BeehiveEvent.task("t", "task-" + i, "job", "TASK_RUNNING", null, "a"))).isTrue();
        }
        channel.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.sent.size() == 51);
        for (int i = 0; i < 50; i++) {
            OutboundSseEvent e = client.sent.get(i + 1);
            assertThat(e.getId()).isEqualTo(Integer.toString(i + 1));
            assertThat(((BeehiveEvent) e.getData()).taskId()).isEqualTo("task-" + i);
        }
        channel.close();
        assertThat(client.closed).isTrue();
        assertThat(channel.offer(BeehiveEvent.task("t", "late", "job", "TASK_RUNNING", null, "a"))).isFalse();
    }
}
