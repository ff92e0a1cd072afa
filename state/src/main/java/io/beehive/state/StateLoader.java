package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.SchemaVersion;
import io.beehive.state.record.TaskRecord;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Reads all of Beehive's state when a replica becomes leader: every bucket's children are listed at once, then
 * every record is read asynchronously (bounded by a {@link ReadWindow}) and decoded as its answer arrives.
 * A record that cannot be decoded is moved to quarantine through the fenced writer and reported; it never stops
 * the load (invariant 7).
 */
final class StateLoader {
    private static final Logger LOG = LoggerFactory.getLogger(StateLoader.class);
    private static final long LOAD_TIMEOUT_MINUTES = 5;
    /**
     * Task records per multi-read: at most {@link WriteBatch#MAX_TASK_RECORD_BYTES} each, so an answer stays
     * under 40 x 16 KiB = 640 KiB (plus a stat per record), well inside jute.maxbuffer.
     */
    static final int TASKS_PER_READ = 40;
    /**
     * Job and blacklist records per multi-read: a job record is bounded only by the API's body limit (64 KiB by
     * default), so fewer per answer; loading 1,000 jobs one read each cost as much as 40,000 task records.
     */
    static final int RECORDS_PER_READ = 8;

    /** Task names per bucket listing: 2,000 of the longest ids (200 characters and a suffix) stay near 500 KB. */
    static final int NAMES_PER_LISTING = 2_000;

    /** A value read from a record path, decoded or not. */
    private record Read<T>(String path, ZkReader.Node node, T record, String problem) {
    }

    private final StateLayout layout;
    private final RecordCodec codec;
    private final ZkReader reader;
    private final FencedWriter writer;
    private final int maxReadsInFlight;

    StateLoader(StateLayout layout, RecordCodec codec, ZkReader reader, FencedWriter writer, int maxReadsInFlight) {
        this.layout = layout;
        this.codec = codec;
        this.reader = reader;
        this.writer = writer;
        this.maxReadsInFlight = maxReadsInFlight;
    }

    /**
     * Creates the structural nodes that are missing (fenced), so writes can follow. The schema node is created last
     * (in the last of the ordered transactions), so finding it means every structural node exists: then only the
     * fence is checked, two reads instead of one existence check per node (262) and a transaction, which was about
     * a quarter of a small state's hand-off.
     */
    void ensureLayout(Fence fence) {
        ensureLayout(fence, reader.data(layout.schema()), reader.exists(fence.latchPath()));
    }

    /** As {@link #ensureLayout(Fence)}, with the schema node and the fence's latch node already being read. */
    private void ensureLayout(Fence fence, CompletableFuture<ZkReader.Node> schema, CompletableFuture<Stat> latch) {
        if (await(schema) != null) {
            if (await(latch) == null) {
                throw new NotLeaderException(fence);
            }
            return;
        }
        List<Mutation> mutations = new ArrayList<>();
        for (String path : layout.structuralNodes()) {
            mutations.add(new Mutation.EnsureExists(path, new byte[0]));
        }
        mutations.add(new Mutation.EnsureExists(layout.schema(),
                Integer.toString(SchemaVersion.CURRENT).getBytes(StandardCharsets.UTF_8)));
        await(writer.submit(fence, mutations));
    }

    LoadedState load(Fence fence) {
        long start = System.nanoTime();
        // Every read that depends on no other leaves at once: on a busy ensemble each round trip waited for in turn
        // cost a hand-off several milliseconds. A fresh store's missing parents read as null; nothing is lost by
        // reading them before ensureLayout creates them, since records are only ever written after it.
        CompletableFuture<ZkReader.Node> schema = reader.data(layout.schema());
        CompletableFuture<Stat> latch = reader.exists(fence.latchPath());
        CompletableFuture<ZkReader.Node> frameworkId = reader.data(layout.frameworkId());
        CompletableFuture<List<String>> jobNames = reader.children(layout.jobs());
        CompletableFuture<List<String>> blacklistNames = reader.children(layout.blacklist());
        CompletableFuture<List<ZkReader.Node>> bucketStats = reader.dataOfMany(layout.buckets());
        ensureLayout(fence, schema, latch);
        ReadWindow window = new ReadWindow(maxReadsInFlight);

        ConcurrentLinkedQueue<Read<JobRecord>> jobs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Read<BlacklistEntry>> blacklist = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Read<TaskRecord>> tasks = new ConcurrentLinkedQueue<>();

        List<CompletableFuture<?>> pending = new ArrayList<>();
        readAll(window, layout.jobs(), jobNames, JobRecord.class, (name, job) -> checkName(name, job.id()), jobs,
                pending);
        readAll(window, layout.blacklist(), blacklistNames, BlacklistEntry.class,
                (name, entry) -> checkName(name, entry.agentId()), blacklist, pending);
        List<CompletableFuture<List<String>>> buckets = listBuckets(bucketStats);
        for (int b = 0; b < StateLayout.BUCKETS; b++) {
            String bucketPath = layout.bucket(b);
            List<String> children = await(buckets.get(b));
            if (children == null) {
                continue;
            }
            for (int from = 0; from < children.size(); from += TASKS_PER_READ) {
                List<String> chunk = children.subList(from, Math.min(children.size(), from + TASKS_PER_READ));
                pending.add(readChunk(window, bucketPath, chunk, TaskRecord.class,
                        (name, task) -> checkTask(bucketPath, name, task), tasks));
            }
        }
        await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));

        List<QuarantinedRecord> quarantined = new ArrayList<>();
        Optional<String> fid = Optional.ofNullable(await(frameworkId))
                .map(node -> new String(node.data(), StandardCharsets.UTF_8).trim())
                .filter(value -> !value.isEmpty());
        List<JobRecord> jobList = keepReadable(fence, jobs, quarantined);
        List<BlacklistEntry> blacklistList = keepReadable(fence, blacklist, quarantined);
        List<TaskRecord> taskList = keepReadable(fence, tasks, quarantined);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.info("loaded state under {} in {} ms: framework id {}, {} jobs, {} tasks, {} blacklisted agents, "
                        + "{} records quarantined", layout.root(), millis, fid.orElse("(none)"), jobList.size(),
                taskList.size(), blacklistList.size(), quarantined.size());
        return new LoadedState(fid, List.copyOf(jobList), List.copyOf(taskList), List.copyOf(blacklistList),
                List.copyOf(quarantined), millis);
    }

    /**
     * The task names in every bucket, in a few requests instead of one per bucket (256 listings were most of a small
     * state's load, ~160 ms on a busy machine): one multi-read of the buckets' stats says how many children each
     * has, then buckets are listed together in multi-reads of up to {@link #NAMES_PER_LISTING} names, which keeps
     * each answer under jute.maxbuffer even with the longest ids. A multi-read that fails (Curator does not retry
     * them) falls back to one retried listing per bucket.
     */
    private List<CompletableFuture<List<String>>> listBuckets(CompletableFuture<List<ZkReader.Node>> bucketStats) {
        List<String> paths = layout.buckets();
        List<ZkReader.Node> stats;
        try {
            stats = bucketStats.get(LOAD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while reading state", e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("reading the task buckets' stats in one request failed ({}); listing them one by one",
                    e.toString());
            return paths.stream().map(reader::children).toList();
        }
        List<CompletableFuture<List<String>>> listings = new ArrayList<>(Collections.nCopies(paths.size(), null));
        List<Integer> group = new ArrayList<>();
        int names = 0;
        for (int b = 0; b < paths.size(); b++) {
            ZkReader.Node bucket = stats.get(b);
            int children = bucket == null ? 0 : bucket.stat().getNumChildren();
            if (children == 0) {
                listings.set(b, CompletableFuture.completedFuture(bucket == null ? null : List.of()));
                continue;
            }
            if (!group.isEmpty() && names + children > NAMES_PER_LISTING) {
                listGroup(paths, group, listings);
                group = new ArrayList<>();
                names = 0;
            }
            group.add(b);
            names += children;
        }
        if (!group.isEmpty()) {
            listGroup(paths, group, listings);
        }
        return listings;
    }

    private void listGroup(List<String> paths, List<Integer> group, List<CompletableFuture<List<String>>> into) {
        List<String> groupPaths = group.stream().map(paths::get).toList();
        CompletableFuture<List<List<String>>> many = reader.childrenOfMany(groupPaths).handle((lists, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(lists);
            }
            LOG.warn("listing {} task buckets in one request failed ({}); listing them one by one", group.size(),
                    error.toString());
            List<CompletableFuture<List<String>>> singles = groupPaths.stream().map(reader::children).toList();
            return CompletableFuture.allOf(singles.toArray(CompletableFuture[]::new))
                    .thenApply(done -> singles.stream().map(CompletableFuture::join).toList());
        }).thenCompose(next -> next);
        for (int i = 0; i < group.size(); i++) {
            int index = i;
            into.set(group.get(i), many.thenApply(lists -> lists.get(index)));
        }
    }

    /** See {@link StateStore#readSample()}: the load's reads and decoding on a few records, quarantining nothing. */
    int sample() {
        ReadWindow window = new ReadWindow(maxReadsInFlight);
        await(reader.data(layout.schema()));
        await(reader.data(layout.frameworkId()));
        ConcurrentLinkedQueue<Read<JobRecord>> jobs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Read<TaskRecord>> tasks = new ConcurrentLinkedQueue<>();
        List<String> jobNames = await(reader.children(layout.jobs()));
        if (jobNames != null && !jobNames.isEmpty()) {
            await(readChunk(window, layout.jobs(), jobNames.subList(0, Math.min(jobNames.size(), RECORDS_PER_READ)),
                    JobRecord.class, (name, job) -> checkName(name, job.id()), jobs));
        }
        List<String> bucketPaths = layout.buckets();
        List<ZkReader.Node> stats = await(reader.dataOfMany(bucketPaths));
        for (int b = 0; b < stats.size(); b++) {
            if (stats.get(b) != null && stats.get(b).stat().getNumChildren() > 0) {
                String bucketPath = bucketPaths.get(b);
                List<String> names = await(reader.childrenOfMany(List.of(bucketPath))).get(0);
                await(readChunk(window, bucketPath, names.subList(0, Math.min(names.size(), RECORDS_PER_READ)),
                        TaskRecord.class, (name, task) -> checkTask(bucketPath, name, task), tasks));
                break;
            }
        }
        return jobs.size() + tasks.size();
    }

    /** Waits for the listing of {@code parent} (here, never on a ZooKeeper callback thread) and reads every child. */
    private <T> void readAll(ReadWindow window, String parent, CompletableFuture<List<String>> listing, Class<T> type,
                             BiFunction<String, T, String> check, ConcurrentLinkedQueue<Read<T>> into,
                             List<CompletableFuture<?>> pending) {
        List<String> children = await(listing);
        if (children == null) {
            return;
        }
        for (int from = 0; from < children.size(); from += RECORDS_PER_READ) {
            List<String> chunk = children.subList(from, Math.min(children.size(), from + RECORDS_PER_READ));
            pending.add(readChunk(window, parent, chunk, type, check, into));
        }
    }

    /**
     * Reads a chunk of one parent's records in one multi-read; if that request fails (e.g. a foreign,
     * oversized value made the answer too big and the connection dropped), falls back to one read per record,
     * which Curator retries across reconnects.
     */
    private <T> CompletableFuture<Void> readChunk(ReadWindow window, String parent, List<String> names,
                                                  Class<T> type, BiFunction<String, T, String> check,
                                                  ConcurrentLinkedQueue<Read<T>> into) {
        List<String> paths = names.stream().map(name -> parent + "/" + name).toList();
        return window.submit(() -> reader.dataOfMany(paths)).handle((nodes, error) -> {
            if (error == null) {
                for (int i = 0; i < nodes.size(); i++) {
                    decode(paths.get(i), names.get(i), nodes.get(i), type, check, into);
                }
                return CompletableFuture.<Void>completedFuture(null);
            }
            LOG.warn("multi-read of {} records in {} failed ({}); reading them one by one", names.size(), parent,
                    error.toString());
            List<CompletableFuture<?>> singles = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String path = paths.get(i);
                String name = names.get(i);
                singles.add(reader.data(path).thenAccept(node -> decode(path, name, node, type, check, into)));
            }
            return CompletableFuture.allOf(singles.toArray(CompletableFuture[]::new));
        }).thenCompose(next -> next);
    }

    private <T> void decode(String path, String name, ZkReader.Node node, Class<T> type,
                            BiFunction<String, T, String> check, ConcurrentLinkedQueue<Read<T>> into) {
        if (node == null) {
            return; // deleted between the listing and the read
        }
        try {
            T record = codec.decode(node.data(), type);
            String problem = check.apply(name, record);
            into.add(problem == null ? new Read<>(path, null, record, null) : new Read<>(path, node, null, problem));
        } catch (UnreadableRecordException e) {
            into.add(new Read<>(path, node, null, e.getMessage()));
        }
    }

    private static String checkName(String name, String id) {
        return name.equals(id) ? null : "stored under the name '" + name + "' but its id is '" + id + "'";
    }

    private static String checkTask(String bucketPath, String name, TaskRecord task) {
        String problem = checkName(name, task.taskId());
        if (problem != null) {
            return problem;
        }
        String bucket = StateLayout.bucketName(StateLayout.bucketOf(name));
        return bucketPath.endsWith("/" + bucket) ? null
                : "stored in bucket " + bucketPath + " but task " + name + " belongs in bucket " + bucket;
    }

    private <T> List<T> keepReadable(Fence fence, ConcurrentLinkedQueue<Read<T>> reads,
                                     List<QuarantinedRecord> quarantined) {
        List<T> records = new ArrayList<>(reads.size());
        for (Read<T> read : reads) {
            if (read.problem() == null) {
                records.add(read.record());
            } else {
                quarantined.add(quarantine(fence, read));
            }
        }
        return records;
    }

    /** Moves the unreadable bytes aside, with the reason beside them, in one fenced transaction. */
    private QuarantinedRecord quarantine(Fence fence, Read<?> read) {
        String target = layout.quarantined(read.path(), read.node().stat().getMzxid());
        byte[] reason = codec.encode(Map.of(
                "originalPath", read.path(),
                "reason", read.problem(),
                "quarantinedAtMillis", System.currentTimeMillis(),
                "leaderEpoch", fence.epoch()));
        List<Mutation> move = List.of(
                new Mutation.CreateNew(target, read.node().data()),
                new Mutation.CreateNew(layout.quarantineReason(target), reason),
                new Mutation.DeleteExact(read.path(), read.node().stat().getVersion()));
        try {
            await(writer.submit(fence, move));
            LOG.warn("quarantined unreadable record {} to {}: {}", read.path(), target, read.problem());
            return new QuarantinedRecord(read.path(), target, read.problem());
        } catch (NotLeaderException e) {
            throw e;
        } catch (StateException e) {
            LOG.error("unreadable record {} ({}) could not be moved to quarantine: {}", read.path(), read.problem(),
                    e.getMessage());
            return new QuarantinedRecord(read.path(), null, read.problem());
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(LOAD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof StateException stateException) {
                throw stateException;
            }
            throw new StateException("reading state failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new StateException("reading state did not finish within " + LOAD_TIMEOUT_MINUTES + " minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while reading state", e);
        }
    }
}
