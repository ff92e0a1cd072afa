package io.beehive.scheduler.app.view;

import io.beehive.state.StateLayout;
import io.beehive.state.record.TermStatus;
import org.apache.curator.framework.CuratorFramework;

import java.util.Optional;

/**
 * Reads the {@link TermStatus} the current leader publishes at {@code <root>/term-status}. Every replica reads it
 * the same way (the leader too), so all of them report the same last fail-over and reconciliation. Unfenced: a
 * read never needs to prove leadership.
 */
public final class TermStatusReader {
    private final CuratorFramework zookeeper;
    private final String path;

    public TermStatusReader(CuratorFramework zookeeper, String root) {
        this.zookeeper = zookeeper;
        this.path = new StateLayout(root).termStatus();
    }

    /** Empty when no leader has published yet or the record cannot be decoded (logged: an operator should know). */
    public Optional<TermStatus> read() {
        return StoredJson.read(zookeeper, path, TermStatus.class);
    }
}
