package io.beehive.scheduler.core.term;

/**
 * A command made on condition that the job is at a given version (the REST API's {@code If-Match}) found it at
 * another: someone changed it since the caller read it, or the caller's own earlier attempt landed. Nothing was
 * applied; the REST layer answers 412.
 */
public final class JobVersionMismatchException extends RuntimeException {
    private final long expected;
    private final long actual;

    public JobVersionMismatchException(String jobId, long expected, long actual) {
        super("job " + jobId + " is at version " + actual + ", not " + expected + " as If-Match asks; read it again "
                + "and decide whether the change is still wanted");
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
