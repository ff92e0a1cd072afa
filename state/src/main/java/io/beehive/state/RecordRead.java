package io.beehive.state;

/**
 * A value read from a record's path: decoded ({@code record} set, {@code node} dropped to save memory) or not
 * ({@code problem} says why, {@code node} keeps the bytes and the stat for the quarantine).
 */
record RecordRead<T>(String path, ZkReader.Node node, T record, String problem) {
    boolean readable() {
        return problem == null;
    }
}
