package io.beehive.scheduler.app.proxy;

import io.beehive.scheduler.app.api.ApiHeaders;
import io.beehive.scheduler.app.api.WriteApplied;
import io.dropwizard.lifecycle.Managed;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a request on to the leader and brings its answer back. Only the headers that matter to the API cross
 * (content type, accept, authorization, If-Match and the loop guard on the way there; content type, location,
 * Retry-After, ETag, the leader and whether a write was applied on the way back); hop-by-hop headers do not.
 */
public final class LeaderForwarder implements Managed {
    /** Headers copied from the leader's answer to ours. */
    private static final List<String> ANSWER_HEADERS = List.of("Content-Type", "Location", "Retry-After",
            "WWW-Authenticate", "ETag", ApiHeaders.LEADER, WriteApplied.HEADER);

    /** The leader's answer. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private final Duration timeout;
    private final HttpClient client = new HttpClient();

    public LeaderForwarder(Duration timeout) {
        this.timeout = timeout;
        client.setFollowRedirects(false);
        client.setName("beehive-forwarder");
    }

    @Override
    public void start() throws Exception {
        client.start();
    }

    @Override
    public void stop() throws Exception {
        client.stop();
    }

    /**
     * @param leader       {@code host:port}
     * @param pathAndQuery raw path (with leading /) and query
     * @throws LeaderUnreachableException when the leader cannot be reached or does not answer in time, saying
     *                                    whether the request had been sent
     * @throws InterruptedException       when the calling thread is interrupted (the request may have been sent)
     */
    public Answer forward(String leader, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws LeaderUnreachableException, InterruptedException {
        // Committed = the request's headers were written to the leader's connection. Before that, the leader cannot
        // have acted on it, whatever failed (connection refused, connect timeout, a closed pooled connection).
        AtomicBoolean committed = new AtomicBoolean();
        ContentResponse response;
        try {
            Request request = client.newRequest("http://" + leader + pathAndQuery)
                    .method(method)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(h -> {
                        headers.forEach(h::put);
                        // Not gzip: the leader's gzip handler would rewrite its ETag ("7" -> "7--gzip"), and that is
                        // what the client would get back and send in If-Match. The follower compresses for its client.
                        h.put(HttpHeader.ACCEPT_ENCODING, "identity");
                    })
                    .onRequestCommit(r -> committed.set(true));
            if (body != null && body.length > 0) {
                request.body(new BytesRequestContent(headers.getOrDefault("Content-Type", "application/json"),
                        body));
            }
            response = request.send();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // RuntimeException: the client refused the request (stopping, an address it cannot use); a 503 all the
            // same, never a 500 for the client's write.
            throw new LeaderUnreachableException(leader, committed.get(), e);
        }
        Map<String, String> answerHeaders = new java.util.LinkedHashMap<>();
        for (HttpField f : response.getHeaders()) {
            for (String name : ANSWER_HEADERS) {
                if (f.getName().equalsIgnoreCase(name)) {
                    answerHeaders.put(name, f.getValue());
                }
            }
        }
        return new Answer(response.getStatus(), answerHeaders, response.getContent());
    }
}
