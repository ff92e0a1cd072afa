package io.beehive.state;

import java.nio.charset.StandardCharsets;

/**
 * One change to one znode, already encoded. Only {@link FencedWriter} turns these into ZooKeeper operations,
 * always inside a transaction that checks the writer's fence.
 */
sealed interface Mutation {
    String path();

    /** Bytes of value this mutation carries (0 for deletes). */
    int dataBytes();

    /** Whether an absent or present node is an expected situation to adapt to, rather than a conflict. */
    boolean tolerant();

    /** A change that finds the node absent or present as an expected situation and adapts to it. */
    sealed interface Tolerant extends Mutation {
        @Override
        default boolean tolerant() {
            return true;
        }
    }

    /** A change that needs the node exactly as the writer saw it; anything else is a conflict. */
    sealed interface Strict extends Mutation {
        @Override
        default boolean tolerant() {
            return false;
        }
    }

    /** A change that writes a value. */
    sealed interface Valued extends Mutation {
        byte[] data();

        @Override
        default int dataBytes() {
            return data().length;
        }
    }

    /** A change that removes a node. */
    sealed interface Removal extends Mutation {
        @Override
        default int dataBytes() {
            return 0;
        }
    }

    /** Create the node, or overwrite its value if it exists. */
    record Put(String path, byte[] data) implements Valued, Tolerant {
    }

    /** Delete the node if it exists; an absent node is already the goal. */
    record Delete(String path) implements Removal, Tolerant {
    }

    /** Create the node with this value if it is absent; leave an existing node alone. */
    record EnsureExists(String path, byte[] data) implements Valued, Tolerant {
    }

    /** Create a node that must not exist yet. */
    record CreateNew(String path, byte[] data) implements Valued, Strict {
    }

    /** Delete a node that must still be at this version (it has not been rewritten since it was read). */
    record DeleteExact(String path, int version) implements Removal, Strict {
    }

    static int pathBytes(String path) {
        return path.getBytes(StandardCharsets.UTF_8).length;
    }
}
