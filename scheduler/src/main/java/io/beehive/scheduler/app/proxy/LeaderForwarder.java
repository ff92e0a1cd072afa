package io.beehive.scheduler.app.proxy;

import io.dropwizard.lifecycle.Managed;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends a request on to the leader and brings its answer back. Only the headers that matter to the API cross
 * (content type, accept, authorization, and the loop guard); hop-by-hop headers do not.
 */
public final class LeaderForwarder implements Managed {
    /** Headers copied from the leader's answer to ours. */
    private static final List<String> ANSWER_HEADERS = List.of("Content-Type", "Location", "Retry-After",
            "WWW-Authenticate", "X-Beehive-Leader");

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
     * @throws Exception when the leader cannot be reached or does not answer in time
     */
    public Answer forward(String leader, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws Exception {
        Request request = client.newRequest("http://" + leader + pathAndQuery)
                .method(method)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> headers.forEach(h::put));
        if (body != null && body.length > 0) {
            request.body(new BytesRequestContent(headers.getOrDefault("Content-Type", "application/json"), body));
        }
        ContentResponse response = request.send();
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
