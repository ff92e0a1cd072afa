package io.beehive.scheduler.app.view;

/** ZooKeeper could not be read (disconnected, or too slow): the API answers 503, the client may retry. */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
