package io.beehive.scheduler.mesos;

/** The master answered a call with something other than 202/200; {@link #status()} is 0 for transport failures. */
public final class MesosCallException extends RuntimeException {

    private final int status;

    public MesosCallException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
