package io.beehive.state;

/**
 * Settings of a {@link StateStore}.
 *
 * @param root                absolute ZooKeeper path under which everything lives, e.g. {@code /beehive}
 * @param maxTransactionBytes budget of one fenced transaction; keep it well under jute.maxbuffer (1 MB)
 * @param maxReadsInFlight    how many read requests (single reads, or multi-reads of up to 40 task records)
 *                            a load keeps outstanding at once
 */
public record StateStoreConfig(String root, long maxTransactionBytes, int maxReadsInFlight) {
    public StateStoreConfig {
        new StateLayout(root); // validates
        new TransactionSizer(maxTransactionBytes);
        if (maxReadsInFlight < 1) {
            throw new IllegalArgumentException("maxReadsInFlight must be positive, got " + maxReadsInFlight);
        }
    }

    public static StateStoreConfig withRoot(String root) {
        return new StateStoreConfig(root, TransactionSizer.DEFAULT_MAX_TRANSACTION_BYTES, 64);
    }
}
