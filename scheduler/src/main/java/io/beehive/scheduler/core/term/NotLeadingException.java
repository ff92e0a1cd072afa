package io.beehive.scheduler.core.term;

/** A command reached a replica that does not lead (or a term that has ended). The REST layer forwards or retries. */
public final class NotLeadingException extends RuntimeException {
    public NotLeadingException(String message) {
        super(message);
    }
}
