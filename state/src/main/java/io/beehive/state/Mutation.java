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

    /** Create the node, or overwrite its value if it exists. */
    record Put(String path, byte[] data) implements Mutation {
        @Override
        public int dataBytes() {
            return data.length;
        }

        @Override
        public boolean tolerant() {
            return true;
        }
    }

    /** Delete the node if it exists; an absent node is already the goal. */
    record Delete(String path) implements Mutation {
        @Override
        public int dataBytes() {
            return 0;
        }

        @Override
        public boolean tolerant() {
            return true;
        }
    }

    /** Create the node with this value if it is absent; leave an existing node alone. */
    record EnsureExists(String path, byte[] data) implements Mutation {
        @Override
        public int dataBytes() {
            return data.length;
        }

        @Override
        public boolean tolerant() {
            return true;
        }
    }

    /** Create a node that must not exist yet. */
    record CreateNew(String path, byte[] data) implements Mutation {
        @Override
        public int dataBytes() {
            return data.length;
        }

        @Override
        public boolean tolerant() {
            return false;
        }
    }

    /** Delete a node that must still be at this version (it has not been rewritten since it was read). */
    record DeleteExact(String path, int version) implements Mutation {
        @Override
        public int dataBytes() {
            return 0;
        }

        @Override
        public boolean tolerant() {
            return false;
        }
    }

    static int pathBytes(String path) {
        return path.getBytes(StandardCharsets.UTF_8).length;
    }
}
