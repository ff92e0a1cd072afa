package io.beehive.scheduler.app.events;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.dropwizard.lifecycle.Managed;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the {@code /v1/events} subscribers. The core has no change listener, so the hub polls the replica's view
 * (the leader's memory, or ZooKeeper on a follower) and sends what changed; it polls only while someone listens.
 * A state that lasts less than one poll interval can be missed; the event stream is for watching, the task
 * records are the truth.
 */
public final class EventHub implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private record Subscriber(SseEventSink sink, Sse sse) {
    }

    private final ReplicaRuntime runtime;
    private final StateViews views;
    private final Duration interval;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ChangeDetector detector = new ChangeDetector();
    private ScheduledExecutorService poller;

    public EventHub(ReplicaRuntime runtime, StateViews views, Duration interval) {
        this.runtime = runtime;
        this.views = views;
        this.interval = interval;
    }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "beehive-events");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
        subscribers.forEach(s -> s.sink().close());
        subscribers.clear();
    }

    public void subscribe(SseEventSink sink, Sse sse) {
        subscribers.add(new Subscriber(sink, sse));
        // An SSE comment so the client sees the stream is open before the first change.
        sink.send(sse.newEventBuilder().comment("beehive events").build());
        LOG.debug("Event subscriber added ({} now)", subscribers.size());
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private void poll() {
        try {
            subscribers.removeIf(s -> s.sink().isClosed());
            if (subscribers.isEmpty()) {
                detector.reset();
                return;
            }
            Optional<BeehiveScheduler> s = runtime.schedulerIfRunning();
            if (s.isEmpty()) {
                return;
            }
            for (BeehiveEvent event : detector.next(views.current().tasks(), s.get().leader())) {
                for (Subscriber sub : subscribers) {
                    OutboundSseEvent out = sub.sse().newEventBuilder().name(event.type())
                            .mediaType(MediaType.APPLICATION_JSON_TYPE).data(BeehiveEvent.class, event).build();
                    sub.sink().send(out).whenComplete((ok, err) -> {
                        if (err != null) {
                            sub.sink().close();
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            // A failed poll (ZooKeeper away) must not kill the scheduled task: the next one retries.
            LOG.debug("Event poll failed: {}", e.toString());
        }
    }
}
