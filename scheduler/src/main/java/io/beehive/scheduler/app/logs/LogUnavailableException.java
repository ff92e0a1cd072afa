package io.beehive.scheduler.app.logs;

/**
 * A task's log cannot be read, with the HTTP status that says why: 409 not on an agent yet, 410 the sandbox is gone
 * (agent removed, executor forgotten, directory collected), 502 the master or the agent did not answer.
 */
public final class LogUnavailableException extends RuntimeException {
    public static final int NOT_LAUNCHED = 409;
    public static final int GONE = 410;
    public static final int AGENT_UNREACHABLE = 502;

    private final int status;

    LogUnavailableException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
