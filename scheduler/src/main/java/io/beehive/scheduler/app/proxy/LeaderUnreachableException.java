package io.beehive.scheduler.app.proxy;

/**
 * A forward that got no answer from the leader. {@link #requestSent()} tells the two cases a client must tell
 * apart: the request never left (connection refused, no route, connect timeout: the write was not applied) or it
 * was sent and the answer never came (the leader may have applied it).
 */
public final class LeaderUnreachableException extends Exception {
    private final boolean requestSent;

    public LeaderUnreachableException(String leader, boolean requestSent, Throwable cause) {
        super((requestSent ? "the leader " + leader + " did not answer" : "the leader " + leader
                + " could not be reached") + " (" + describe(cause) + ")", cause);
        this.requestSent = requestSent;
    }

    public boolean requestSent() {
        return requestSent;
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
