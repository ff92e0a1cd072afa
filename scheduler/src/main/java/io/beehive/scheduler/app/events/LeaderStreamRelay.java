package io.beehive.scheduler.app.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.scheduler.app.api.ApiHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Task events for a client of a follower: only the leader's core sees task changes, so while another replica leads,
 * the follower reads the leader's {@code /v1/events} (marked with {@link ApiHeaders#PROXIED_BY}, so the leader never
 * relays it on, and with the client's own credentials) and passes its {@code task} events into the client's
 * channel. Leadership events are not relayed: every replica produces its own. When the leader changes, the
 * upstream is dropped and the relay reconnects to the new leader; while this replica leads, the relay idles (the
 * core feeds the channel directly). Events emitted while the relay switches leaders can be missed: a client that
 * sees a {@code leader} event re-reads {@code /v1/tasks} for the truth.
 */
final class LeaderStreamRelay {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderStreamRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** What only the leader can know; a follower makes its own leader events. */
    private static final Set<String> RELAYED = Set.of(BeehiveEvent.TASK, BeehiveEvent.HEALTH,
            BeehiveEvent.DEPLOYMENT);

    private final SubscriberChannel channel;
    private final HttpClient http;
    private final String self;
    private final String authorization;
    private final Supplier<Optional<String>> otherLeader;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile InputStream upstream;
    private volatile boolean reading;
    private volatile boolean stopped;

    /**
     * @param otherLeader the leader's address while a replica other than this one leads; empty otherwise
     */
    LeaderStreamRelay(SubscriberChannel channel, HttpClient http, String self, String authorization,
                      Supplier<Optional<String>> otherLeader) {
        this.channel = channel;
        this.http = http;
        this.self = self;
        this.authorization = authorization;
        this.otherLeader = otherLeader;
        this.thread = new Thread(this::run, "beehive-events-relay-" + channel);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Drop the current upstream (it belongs to a leader that is no longer): the loop picks the new one. */
    void leaderChanged() {
        dropUpstream();
        if (reading) {
            thread.interrupt(); // a read blocked on the old leader's stream ends on interruption, not on close
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        dropUpstream();
    }

    private void run() {
        while (channel.isOpen() && !stopped) {
            Optional<String> leader = otherLeader.get();
            if (leader.isPresent()) {
                reading = true;
                try {
                    relayFrom(leader.get());
                } finally {
                    reading = false;
                    Thread.interrupted(); // a leader change interrupted the read; only stop() ends the relay
                }
            }
            if (!channel.isOpen() || stopped) {
                return;
            }
            synchronized (signal) {
                try {
                    signal.wait(RETRY.toMillis());
                } catch (InterruptedException e) {
                    // stop(), or a leader change that came just after a read ended: the loop condition decides
                }
            }
        }
    }

    private void relayFrom(String leader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + leader + "/v1/events"))
                .header("Accept", "text/event-stream").header(ApiHeaders.PROXIED_BY, self).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                LOG.info("Relay for {}: the leader {} answered {} to the event stream", channel, leader,
                        response.statusCode());
                response.body().close();
                return;
            }
            upstream = response.body();
            if (!otherLeader.get().equals(Optional.of(leader))) {
                return; // leadership moved while connecting
            }
            LOG.debug("Relay for {}: reading task events from the leader {}", channel, leader);
            pump(new BufferedReader(new InputStreamReader(upstream, StandardCharsets.UTF_8)));
        } catch (InterruptedException e) {
            LOG.debug("Relay for {} from {} interrupted (leader change or stop)", channel, leader);
        } catch (Exception e) {
            LOG.debug("Relay for {} from {} ended: {}", channel, leader, e.toString());
        } finally {
            dropUpstream();
        }
    }

    /** Server-sent events: "event:" and "data:" lines, a blank line ends one event. */
    private void pump(BufferedReader lines) throws Exception {
        String name = null;
        StringBuilder data = new StringBuilder();
        String line;
        while (channel.isOpen() && (line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (name != null && RELAYED.contains(name) && data.length() > 0) {
                    channel.offer(JSON.readValue(data.toString(), BeehiveEvent.class));
                }
                name = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
    }

    private void dropUpstream() {
        InputStream in = upstream;
        upstream = null;
        if (in != null) {
            try {
                in.close();
            } catch (Exception e) {
                LOG.debug("Closing the relay's upstream: {}", e.toString());
            }
        }
    }
}
