package io.beehive.scheduler.app.api;

/** Headers the API sets or reads. */
public final class ApiHeaders {
    /** Set by a follower on a request it forwards; a replica that gets it and does not lead refuses (no loops). */
    public static final String PROXIED_BY = "X-Beehive-Proxied-By";
    /** The leader's address, on forwarded answers and on 503s that know it. */
    public static final String LEADER = "X-Beehive-Leader";
    /** {@code leader} or {@code follower}: who answered a read (a follower's view may lag the leader's). */
    public static final String SERVED_BY = "X-Beehive-Served-By";
    public static final String RETRY_AFTER = "Retry-After";
    /**
     * Sent by the web console ({@code console}) on every request: its 401s then challenge with Bearer only, since
     * a browser answers a Basic challenge to a script's request with its own login prompt, which stalls the page
     * (the console asks for credentials itself).
     */
    public static final String CLIENT = "X-Beehive-Client";

    private ApiHeaders() {
    }
}
