package io.beehive.scheduler.app.runtime;

/** The replica has not joined the election yet, or is shutting down: the API answers 503. */
public final class ReplicaNotReadyException extends RuntimeException {
    public ReplicaNotReadyException(String message) {
        super(message);
    }
}
