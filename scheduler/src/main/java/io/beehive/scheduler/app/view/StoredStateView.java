package io.beehive.scheduler.app.view;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.beehive.state.StateLayout;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A follower's view, read from ZooKeeper on every call: the records the leader has made durable. Reads are
 * unfenced and never write; a record that cannot be decoded is skipped here (the leader quarantines it when it
 * loads, and the quarantine health check reports it). Listing tasks reads all 256 buckets, which is fine for an
 * operator's request but is why the event stream polls it at a modest rate.
 */
final class StoredStateView implements StateView {
    private static final Logger LOG = LoggerFactory.getLogger(StoredStateView.class);
    private static final int BUCKETS = 256;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private final CuratorFramework zookeeper;
    private final StateLayout layout;

    StoredStateView(CuratorFramework zookeeper, String root) {
        this.zookeeper = zookeeper;
        this.layout = new StateLayout(root);
    }

    @Override
    public Collection<JobRecord> jobs() {
        return readAll(layout.jobs(), JobRecord.class);
    }

    @Override
    public Optional<JobRecord> job(String jobId) {
        return read(layout.job(jobId), JobRecord.class);
    }

    @Override
    public Collection<TaskRecord> tasks() {
        List<TaskRecord> all = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++) {
            all.addAll(readAll(layout.bucket(b), TaskRecord.class));
        }
        return all;
    }

    @Override
    public Optional<TaskRecord> task(String taskId) {
        return read(layout.task(taskId), TaskRecord.class);
    }

    @Override
    public Collection<BlacklistEntry> blacklist() {
        return readAll(layout.blacklist(), BlacklistEntry.class);
    }

    @Override
    public Optional<String> frameworkId() {
        return bytes(layout.frameworkId()).map(b -> new String(b, StandardCharsets.UTF_8).trim())
                .filter(s -> !s.isEmpty());
    }

    @Override
    public boolean authoritative() {
        return false;
    }

    private <T> List<T> readAll(String parent, Class<T> type) {
        List<String> children;
        try {
            children = zookeeper.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new StateUnavailableException("cannot list " + parent + ": " + e.getMessage(), e);
        }
        List<T> records = new ArrayList<>(children.size());
        for (String child : children) {
            read(parent + "/" + child, type).ifPresent(records::add);
        }
        return records;
    }

    private <T> Optional<T> read(String path, Class<T> type) {
        return bytes(path).flatMap(data -> {
            try {
                return Optional.of(JSON.readValue(data, type));
            } catch (Exception e) {
                LOG.debug("Skipping unreadable {} at {}: {}", type.getSimpleName(), path, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private Optional<byte[]> bytes(String path) {
        try {
            return Optional.ofNullable(zookeeper.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new StateUnavailableException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
