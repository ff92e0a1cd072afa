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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;

/**
 * A follower's view, read from ZooKeeper on every call: the records the leader has made durable. Reads are
 * unfenced and never write; a record that cannot be decoded is skipped here (the leader quarantines it when it
 * loads, and the quarantine health check reports it). Listing tasks reads all 256 buckets, which is fine for an
 * operator's request (the reads are pipelined) and shared by the requests that want it at the same time
 * ({@link SharedTaskListing}); the event stream never reads it (events are pushed).
 */
final class StoredStateView implements StateView {
    private static final Logger LOG = LoggerFactory.getLogger(StoredStateView.class);
    private static final int BUCKETS = 256;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private final CuratorFramework zookeeper;
    private final StateLayout layout;
    private final SharedTaskListing listing;

    StoredStateView(CuratorFramework zookeeper, String root, SharedTaskListing listing) {
        this.zookeeper = zookeeper;
        this.layout = new StateLayout(root);
        this.listing = listing;
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
        return listing.get(this::readTasks);
    }

    private List<TaskRecord> readTasks() {
        List<CompletableFuture<List<String>>> buckets = new ArrayList<>(BUCKETS);
        for (int b = 0; b < BUCKETS; b++) {
            buckets.add(childrenAsync(layout.bucket(b)));
        }
        List<String> paths = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++) {
            String bucket = layout.bucket(b);
            await(buckets.get(b), bucket).forEach(child -> paths.add(bucket + "/" + child));
        }
        return decodeAll(paths, TaskRecord.class);
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
        List<String> paths = new ArrayList<>();
        await(childrenAsync(parent), parent).forEach(child -> paths.add(parent + "/" + child));
        return decodeAll(paths, type);
    }

    /**
     * Reads every path at once: the ZooKeeper client pipelines the requests on its one connection, so a listing
     * costs about one round trip instead of one per record.
     */
    private <T> List<T> decodeAll(List<String> paths, Class<T> type) {
        List<CompletableFuture<byte[]>> reads = new ArrayList<>(paths.size());
        paths.forEach(p -> reads.add(dataAsync(p)));
        List<T> records = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            byte[] data = await(reads.get(i), paths.get(i));
            if (data != null) {
                decode(paths.get(i), data, type).ifPresent(records::add);
            }
        }
        return records;
    }

    private <T> Optional<T> decode(String path, byte[] data, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(data, type));
        } catch (Exception e) {
            LOG.debug("Skipping unreadable {} at {}: {}", type.getSimpleName(), path, e.getMessage());
            return Optional.empty();
        }
    }

    private CompletableFuture<List<String>> childrenAsync(String path) {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        try {
            zookeeper.getChildren().inBackground((client, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                    f.complete(event.getChildren());
                } else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    f.complete(List.of());
                } else {
                    f.completeExceptionally(KeeperException.create(KeeperException.Code.get(event.getResultCode()),
                            path));
                }
            }).forPath(path);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Completes with null when the node is gone (deleted between listing and reading). */
    private CompletableFuture<byte[]> dataAsync(String path) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        try {
            zookeeper.getData().inBackground((client, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                    f.complete(event.getData());
                } else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(KeeperException.create(KeeperException.Code.get(event.getResultCode()),
                            path));
                }
            }).forPath(path);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private static <T> T await(CompletableFuture<T> f, String path) {
        try {
            return f.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted reading " + path, e);
        } catch (ExecutionException e) {
            throw new StateUnavailableException("cannot read " + path + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new StateUnavailableException("no answer from ZooKeeper for " + path + " within "
                    + READ_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private <T> Optional<T> read(String path, Class<T> type) {
        return bytes(path).flatMap(data -> decode(path, data, type));
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
