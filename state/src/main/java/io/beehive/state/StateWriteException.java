package io.beehive.state;

/**
 * A fenced transaction failed for a reason other than lost leadership (connection loss past the retry policy,
 * a missing parent, an ACL refusal, a conflict that retries did not resolve). After a connection loss the
 * outcome of the last transaction is unknown; every other failure means nothing of that transaction landed.
 */
public final class StateWriteException extends StateException {
    public StateWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
