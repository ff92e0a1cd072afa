package io.beehive.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits mutations into transactions that each fit in one ZooKeeper request.
 *
 * <p>A multi request is bounded by jute.maxbuffer (1 MB - 1 byte by default, on server and client alike). The
 * estimate per operation is conservative: the value, the path (counted twice: request and, for creates, the
 * answer), and a fixed allowance for the multi header, version, flags and the ACL list a create carries. The
 * default budget leaves more than 100 KB of headroom under the limit.
 */
final class TransactionSizer {
    /** Multi header (type, done, err), version/flags and a digest ACL list with a world entry, rounded up. */
    static final int OP_OVERHEAD = 256;
    static final long DEFAULT_MAX_TRANSACTION_BYTES = 900L * 1024;

    private final long maxTransactionBytes;

    TransactionSizer(long maxTransactionBytes) {
        if (maxTransactionBytes < 4096) {
            throw new IllegalArgumentException("maxTransactionBytes must be at least 4096, got " + maxTransactionBytes);
        }
        this.maxTransactionBytes = maxTransactionBytes;
    }

    long limit() {
        return maxTransactionBytes;
    }

    static long estimate(Mutation mutation) {
        return OP_OVERHEAD + 2L * Mutation.pathBytes(mutation.path()) + mutation.dataBytes();
    }

    static long fenceCheck(String latchPath) {
        return OP_OVERHEAD + Mutation.pathBytes(latchPath);
    }

    /**
     * @return the mutations in order, cut into consecutive parts of at most the budget each
     * @throws RecordTooLargeException if one mutation alone (with the fence check) passes the budget
     */
    List<List<Mutation>> split(List<Mutation> mutations, String latchPath) {
        long fence = fenceCheck(latchPath);
        for (Mutation m : mutations) {
            long size = fence + estimate(m);
            if (size > maxTransactionBytes) {
                throw new RecordTooLargeException(m.path(), size, maxTransactionBytes);
            }
        }
        List<List<Mutation>> parts = new ArrayList<>();
        List<Mutation> current = new ArrayList<>();
        long currentBytes = fence;
        for (Mutation m : mutations) {
            long size = estimate(m);
            if (!current.isEmpty() && currentBytes + size > maxTransactionBytes) {
                parts.add(current);
                current = new ArrayList<>();
                currentBytes = fence;
            }
            current.add(m);
            currentBytes += size;
        }
        if (!current.isEmpty() || parts.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }
}
