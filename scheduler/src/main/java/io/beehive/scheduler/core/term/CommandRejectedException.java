package io.beehive.scheduler.core.term;

/** A command that cannot be applied as asked (unknown job, duplicate id, wrong kind): a 4xx for the REST layer. */
public final class CommandRejectedException extends RuntimeException {
    public CommandRejectedException(String message) {
        super(message);
    }
}
