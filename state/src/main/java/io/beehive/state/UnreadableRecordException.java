package io.beehive.state;

/** A stored value that is not the record its path says it is. The message is the reason, fit for a report. */
public final class UnreadableRecordException extends StateException {
    public UnreadableRecordException(String reason) {
        super(reason);
    }

    public UnreadableRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
