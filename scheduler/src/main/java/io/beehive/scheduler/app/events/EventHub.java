package io.beehive.scheduler.app.events;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.dropwizard.lifecycle.Managed;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the {@code /v1/events} subscribers, pushed, never polled:
 * <ul>
 *   <li>task events from the scheduling core ({@link TaskEventFeed}, on the leader, after each change is durable);
 *   <li>leadership events from a watch on the election's nodes ({@link LeaderWatch}), on every replica;
 *   <li>on a follower, the leader's task events, relayed ({@link LeaderStreamRelay}), so a client behind a load
 *       balancer gets the same stream whichever replica it reached. A stream a follower opened at the leader is
 *       never relayed again.
 * </ul>
 * Each subscriber has its own bounded queue and sender ({@link SubscriberChannel}): a slow client is dropped with
 * a last {@code dropped} event and never holds up the core. A new subscriber first gets a {@code leader} event
 * saying who leads now. Metrics: {@code beehive.events.subscribers}, {@code beehive.events.relayed_subscribers}
 * (streams other replicas opened here to relay), {@code beehive.events.dropped_subscribers} (too slow).
 */
public final class EventHub implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    /** An SSE comment this often on a quiet stream: below HAProxy's usual 30-60 s server/tunnel timeouts. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private record Subscription(SubscriberChannel channel, LeaderStreamRelay relay) {
    }

    private final ReplicaRuntime runtime;
    private final int queueSize;
    private final int maxSubscribers;
    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final HttpClient relayClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private volatile LeaderWatch leaderWatch;
    private volatile boolean stopped;
    private final Counter dropped;

    /** Registers with the runtime's scheduler (before it starts), so no task change is missed. */
    public EventHub(ReplicaRuntime runtime, int queueSize, int maxSubscribers, MetricRegistry metrics) {
        this.runtime = runtime;
        this.queueSize = queueSize;
        this.maxSubscribers = maxSubscribers;
        runtime.addSchedulerListener(new TaskEventFeed(this::publish));
        metrics.gauge("beehive.events.subscribers", () -> subscriptions::size);
        metrics.gauge("beehive.events.relayed_subscribers", () -> () -> subscriptions.values().stream()
                .filter(s -> s.relay() == null).count());
        this.dropped = metrics.counter("beehive.events.dropped_subscribers");
    }

    /** Needs the ZooKeeper client: start after the runtime. */
    @Override
    public void start() {
        LeaderWatch watch = new LeaderWatch(runtime.zookeeper().orElseThrow(), runtime.stateRoot(),
                () -> runtime.schedulerIfRunning().flatMap(BeehiveScheduler::leader), this::leaderChanged);
        watch.start();
        leaderWatch = watch;
    }

    /** Ends every stream (the server is stopping; an open stream would hold up Jetty's graceful stop). */
    @Override
    public void stop() {
        stopped = true;
        LeaderWatch watch = leaderWatch;
        if (watch != null) {
            watch.close();
        }
        subscriptions.values().forEach(s -> {
            if (s.relay() != null) {
                s.relay().stop();
            }
            s.channel().close();
        });
        subscriptions.clear();
    }

    /**
     * @param proxiedBy     the follower that opened this stream on behalf of its client (null for a client): such a
     *                      stream is not relayed again
     * @param authorization the client's credentials, passed on when relaying from the leader
     * @return false, having sent nothing, when {@code api.maxEventSubscribers} streams are already open (each costs
     *         threads; the caller answers 503)
     */
    public synchronized boolean subscribe(SseEventSink sink, Sse sse, String proxiedBy, String authorization) {
        if (stopped) {
            sink.close();
            return true;
        }
        if (subscriptions.size() >= maxSubscribers) {
            LOG.warn("Event stream refused: {} streams open (api.maxEventSubscribers)", subscriptions.size());
            return false;
        }
        long id = ids.incrementAndGet();
        String name = id + (proxiedBy == null ? "" : "-for-" + proxiedBy);
        SubscriberChannel channel = new SubscriberChannel(name, sink, sse, queueSize, HEARTBEAT,
                () -> removed(id), dropped::inc);
        LeaderStreamRelay relay = proxiedBy != null ? null : new LeaderStreamRelay(channel, relayClient,
                runtime.selfAddress().orElse("?"), authorization, this::otherLeader);
        subscriptions.put(id, new Subscription(channel, relay));
        currentLeader().ifPresent(l -> channel.offer(leaderEvent(Optional.of(l))));
        channel.start();
        if (relay != null) {
            relay.start();
        }
        LOG.debug("Event subscriber {} added ({} now)", name, subscriptions.size());
        return true;
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    private void publish(BeehiveEvent event) {
        subscriptions.values().forEach(s -> s.channel().offer(event));
    }

    private void leaderChanged(Optional<LeaderInfo> leader) {
        publish(leaderEvent(leader));
        subscriptions.values().forEach(s -> {
            if (s.relay() != null) {
                s.relay().leaderChanged();
            }
        });
    }

    private Optional<LeaderInfo> currentLeader() {
        LeaderWatch watch = leaderWatch;
        return watch == null ? Optional.empty() : watch.current();
    }

    /** The leader's address while another replica leads (what a relay reads from). */
    private Optional<String> otherLeader() {
        String self = runtime.selfAddress().orElse(null);
        return currentLeader().map(LeaderInfo::participantId).filter(l -> !l.equals(self));
    }

    private void removed(long id) {
        Subscription s = subscriptions.remove(id);
        if (s != null && s.relay() != null) {
            s.relay().stop();
        }
        LOG.debug("Event subscriber {} closed", id);
    }

    private static BeehiveEvent leaderEvent(Optional<LeaderInfo> leader) {
        return BeehiveEvent.leader(Instant.now().toString(), leader.map(LeaderInfo::participantId).orElse(null),
                leader.map(LeaderInfo::epoch).orElse(null));
    }
}
