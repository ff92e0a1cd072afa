package io.beehive.scheduler.mesos;

import java.net.URI;
import java.net.URISyntaxException;

/** Building and resolving master URIs, including the protocol-relative {@code Location} of a 307. */
final class MasterUris {

    static final String SCHEDULER_PATH = "/api/v1/scheduler";

    private MasterUris() {}

    static URI of(String scheme, String host, int port) {
        try {
            return new URI(scheme, null, host, port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad master address " + host + ":" + port, e);
        }
    }

    /** scheme://host:port of any URI. */
    static URI base(URI uri) {
        return of(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    static URI endpoint(URI base) {
        return base.resolve(SCHEDULER_PATH);
    }

    /**
     * The base URI a 307 points at. Mesos sends {@code //host:port/master/api/v1/scheduler}: resolving against the
     * request URI keeps the request's scheme, which is what the API asks for.
     */
    static URI redirectBase(URI requestUri, String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("307 without Location");
        }
        URI resolved = requestUri.resolve(location.trim());
        if (resolved.getHost() == null) {
            throw new IllegalArgumentException("307 Location has no host: " + location);
        }
        int port = resolved.getPort() != -1 ? resolved.getPort() : requestUri.getPort();
        return of(resolved.getScheme() != null ? resolved.getScheme() : requestUri.getScheme(), resolved.getHost(), port);
    }
}
