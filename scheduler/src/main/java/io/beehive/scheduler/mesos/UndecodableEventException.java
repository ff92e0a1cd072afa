package io.beehive.scheduler.mesos;

/** A complete record arrived but is not a valid event; the stream can no longer be trusted. */
public final class UndecodableEventException extends RuntimeException {
    public UndecodableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
