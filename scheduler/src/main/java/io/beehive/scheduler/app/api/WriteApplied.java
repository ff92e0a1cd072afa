package io.beehive.scheduler.app.api;

/**
 * What a 503 tells the client about its write (invariant 9), in {@value #HEADER} and the body's {@code applied}:
 * {@link #NO} when the write certainly did not land (safe to send again as it is), {@link #UNKNOWN} when it may have
 * (read the resource first, or send it again with {@code If-Match}; a create is safe either way: an identical job
 * found is answered 200).
 */
public enum WriteApplied {
    NO("no"),
    UNKNOWN("unknown");

    public static final String HEADER = "X-Beehive-Write-Applied";

    private final String value;

    WriteApplied(String value) {
        this.value = value;
    }

    /** The header's and the body field's value. */
    public String value() {
        return value;
    }
}
