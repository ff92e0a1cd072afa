package io.beehive.scheduler.app.view;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.beehive.state.StateLayout;
import io.beehive.state.record.TermStatus;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Reads the {@link TermStatus} the current leader publishes at {@code <root>/term-status}. Every replica reads it
 * the same way (the leader too), so all of them report the same last fail-over and reconciliation. Unfenced: a
 * read never needs to prove leadership.
 */
public final class TermStatusReader {
    private static final Logger LOG = LoggerFactory.getLogger(TermStatusReader.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final CuratorFramework zookeeper;
    private final String path;

    public TermStatusReader(CuratorFramework zookeeper, String root) {
        this.zookeeper = zookeeper;
        this.path = new StateLayout(root).termStatus();
    }

    /** Empty when no leader has published yet or the record cannot be decoded (logged: an operator should know). */
    public Optional<TermStatus> read() {
        byte[] data;
        try {
            data = zookeeper.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new StateUnavailableException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (data == null || data.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(data, TermStatus.class));
        } catch (Exception e) {
            LOG.warn("{} holds no readable term status ({}); reporting none", path, e.getMessage());
            return Optional.empty();
        }
    }
}
