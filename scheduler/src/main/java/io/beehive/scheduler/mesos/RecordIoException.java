package io.beehive.scheduler.mesos;

/** The SUBSCRIBE stream is not valid RecordIO; the connection carrying it must be dropped. */
public final class RecordIoException extends RuntimeException {
    public RecordIoException(String message) {
        super(message);
    }
}
