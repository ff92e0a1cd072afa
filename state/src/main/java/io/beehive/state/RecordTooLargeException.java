package io.beehive.state;

/**
 * A single record whose write would not fit in one ZooKeeper transaction (jute.maxbuffer, about 1 MB). Raised
 * before anything of its batch is sent.
 */
public final class RecordTooLargeException extends StateException {
    public RecordTooLargeException(String path, long estimatedBytes, long limitBytes) {
        super("record " + path + " needs about " + estimatedBytes + " bytes in a transaction, more than the limit of "
                + limitBytes + " bytes; nothing of its batch was written");
    }
}
