package io.beehive.scheduler.app.logs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs to Mesos masters and agents with short timeouts (connect and answer), so that a request thread never waits
 * long on a machine that is gone. Anything that is not an answer becomes a 502 {@link LogUnavailableException}.
 */
final class AgentHttp {
    /** A status and the body's bytes. */
    record Answer(int status, byte[] body) {}

    private final HttpClient client;
    private final Duration timeout;
    private final Optional<String> authorization;

    AgentHttp(Duration timeout, Optional<String> authorization) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
        this.authorization = authorization;
    }

    /** @param what names the machine in the 502's message ({@code "agent S0 at http://..."}) */
    Answer get(URI uri, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        authorization.ifPresent(a -> request.header("Authorization", a));
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE,
                    what + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE,
                    "cannot reach " + what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                            : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE,
                    "interrupted while asking " + what);
        }
    }
}
