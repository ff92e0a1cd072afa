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
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAccumulator;

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
        StoredRecords stored = readEverything(() -> ensureLayout(fence, schema, latch));
        return fenced(fence, stored, start, false);
    }

    /**
     * Turns what was read into a leader's starting state: readable records kept, unreadable ones moved to
     * quarantine (fenced, invariant 7).
     */
    LoadedState fenced(Fence fence, StoredRecords stored, long startNanos, boolean fromMirror) {
        List<QuarantinedRecord> quarantined = new ArrayList<>();
        for (RecordRead<?> read : stored.unreadable()) {
            quarantined.add(quarantine(fence, read));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        LOG.info("{} under {} in {} ms: framework id {}, {}, {} blacklisted agents, {} records quarantined",
                fromMirror ? "caught up with the state mirror" : "loaded state", layout.root(), millis,
                stored.frameworkId().orElse("(none)"), stored.recordsWithFollower() ? "jobs and tasks handed over"
                        : stored.jobs().size() + " jobs, " + stored.tasks().size() + " tasks",
                stored.blacklist().size(), quarantined.size());
        return new LoadedState(stored.frameworkId(), List.copyOf(stored.jobs()), List.copyOf(stored.tasks()),
                List.copyOf(stored.blacklist()), List.copyOf(quarantined), millis, fromMirror,
                stored.recordsWithFollower());
    }

    /**
     * Reads every record, unfenced and without writing: what a load reads, and what a {@link StateMirror} starts
     * from. Unreadable records are returned with their problem, not quarantined.
     *
     * @param whileListing runs once the listings are under way and before the records are read (the load checks
     *                     the fence and creates the layout there)
     */
    StoredRecords readEverything(Runnable whileListing) {
        CompletableFuture<ZkReader.Node> frameworkId = reader.data(layout.frameworkId());
        CompletableFuture<List<String>> jobNames = reader.children(layout.jobs());
        CompletableFuture<List<String>> blacklistNames = reader.children(layout.blacklist());
        CompletableFuture<List<ZkReader.Node>> bucketStats = reader.dataOfMany(layout.buckets());
        whileListing.run();
        ReadWindow window = new ReadWindow(maxReadsInFlight);
        LongAccumulator highestZxid = new LongAccumulator(Math::max, 0);

        ConcurrentLinkedQueue<RecordRead<JobRecord>> jobs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RecordRead<BlacklistEntry>> blacklist = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RecordRead<TaskRecord>> tasks = new ConcurrentLinkedQueue<>();

        List<CompletableFuture<?>> pending = new ArrayList<>();
        readAll(window, layout.jobs(), jobNames, JobRecord.class, jobs, pending, highestZxid);
        readAll(window, layout.blacklist(), blacklistNames, BlacklistEntry.class, blacklist, pending, highestZxid);
        List<CompletableFuture<List<String>>> buckets = listBuckets(bucketStats);
        for (int b = 0; b < StateLayout.BUCKETS; b++) {
            String bucketPath = layout.bucket(b);
            List<String> children = await(buckets.get(b));
            if (children == null) {
                continue;
            }
            for (int from = 0; from < children.size(); from += TASKS_PER_READ) {
                List<String> chunk = children.subList(from, Math.min(children.size(), from + TASKS_PER_READ));
                pending.add(readChunk(window, bucketPath, chunk, TaskRecord.class, tasks, highestZxid));
            }
        }
        await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
        ZkReader.Node fidNode = await(frameworkId);
        if (fidNode != null) {
            highestZxid.accumulate(fidNode.stat().getMzxid());
        }
        List<RecordRead<?>> unreadable = new ArrayList<>();
        return new StoredRecords(frameworkIdOf(fidNode), readable(jobs, unreadable), readable(tasks, unreadable),
                readable(blacklist, unreadable), unreadable, highestZxid.get(), false);
    }

    private static <T> List<T> readable(Collection<RecordRead<T>> reads, List<RecordRead<?>> unreadable) {
        List<T> records = new ArrayList<>(reads.size());
        for (RecordRead<T> read : reads) {
            if (read.readable()) {
                records.add(read.record());
            } else {
                unreadable.add(read);
            }
        }
        return records;
    }

    static Optional<String> frameworkIdOf(ZkReader.Node node) {
        return Optional.ofNullable(node).map(n -> new String(n.data(), StandardCharsets.UTF_8).trim())
                .filter(value -> !value.isEmpty());
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
        LongAccumulator zxid = new LongAccumulator(Math::max, 0);
        await(reader.data(layout.schema()));
        await(reader.data(layout.frameworkId()));
        ConcurrentLinkedQueue<RecordRead<JobRecord>> jobs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RecordRead<TaskRecord>> tasks = new ConcurrentLinkedQueue<>();
        List<String> jobNames = await(reader.children(layout.jobs()));
        if (jobNames != null && !jobNames.isEmpty()) {
            await(readChunk(window, layout.jobs(), jobNames.subList(0, Math.min(jobNames.size(), RECORDS_PER_READ)),
                    JobRecord.class, jobs, zxid));
        }
        List<String> bucketPaths = layout.buckets();
        List<ZkReader.Node> stats = await(reader.dataOfMany(bucketPaths));
        for (int b = 0; b < stats.size(); b++) {
            if (stats.get(b) != null && stats.get(b).stat().getNumChildren() > 0) {
                String bucketPath = bucketPaths.get(b);
                List<String> names = await(reader.childrenOfMany(List.of(bucketPath))).get(0);
                await(readChunk(window, bucketPath, names.subList(0, Math.min(names.size(), RECORDS_PER_READ)),
                        TaskRecord.class, tasks, zxid));
                break;
            }
        }
        return jobs.size() + tasks.size();
    }

    /** Waits for the listing of {@code parent} (here, never on a ZooKeeper callback thread) and reads every child. */
    private <T> void readAll(ReadWindow window, String parent, CompletableFuture<List<String>> listing, Class<T> type,
                             ConcurrentLinkedQueue<RecordRead<T>> into, List<CompletableFuture<?>> pending,
                             LongAccumulator highestZxid) {
        List<String> children = await(listing);
        if (children == null) {
            return;
        }
        for (int from = 0; from < children.size(); from += RECORDS_PER_READ) {
            List<String> chunk = children.subList(from, Math.min(children.size(), from + RECORDS_PER_READ));
            pending.add(readChunk(window, parent, chunk, type, into, highestZxid));
        }
    }

    /**
     * Reads a chunk of one parent's records in one multi-read; if that request fails (e.g. a foreign,
     * oversized value made the answer too big and the connection dropped), falls back to one read per record,
     * which Curator retries across reconnects.
     */
    private <T> CompletableFuture<Void> readChunk(ReadWindow window, String parent, List<String> names,
                                                  Class<T> type, ConcurrentLinkedQueue<RecordRead<T>> into,
                                                  LongAccumulator highestZxid) {
        List<String> paths = names.stream().map(name -> parent + "/" + name).toList();
        return window.submit(() -> reader.dataOfMany(paths)).handle((nodes, error) -> {
            if (error == null) {
                for (int i = 0; i < nodes.size(); i++) {
                    collect(paths.get(i), nodes.get(i), type, into, highestZxid);
                }
                return CompletableFuture.<Void>completedFuture(null);
            }
            LOG.warn("multi-read of {} records in {} failed ({}); reading them one by one", names.size(), parent,
                    error.toString());
            List<CompletableFuture<?>> singles = new ArrayList<>();
            for (String path : paths) {
                singles.add(reader.data(path).thenAccept(node -> collect(path, node, type, into, highestZxid)));
            }
            return CompletableFuture.allOf(singles.toArray(CompletableFuture[]::new));
        }).thenCompose(next -> next);
    }

    private <T> void collect(String path, ZkReader.Node node, Class<T> type, ConcurrentLinkedQueue<RecordRead<T>> into,
                             LongAccumulator highestZxid) {
        if (node == null) {
            return; // deleted between the listing and the read
        }
        highestZxid.accumulate(node.stat().getMzxid());
        into.add(decode(path, node, type));
    }

    /**
     * Decodes the value read at a record's path and checks it belongs there (its id is the node's name, a task is
     * in its own bucket). Never throws for bad bytes: the answer then carries the problem and the node.
     */
    <T> RecordRead<T> decode(String path, ZkReader.Node node, Class<T> type) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        try {
            T record = codec.decode(node.data(), type);
            String problem = check(path, name, record);
            return problem == null ? new RecordRead<>(path, null, record, null)
                    : new RecordRead<>(path, node, null, problem);
        } catch (UnreadableRecordException e) {
            return new RecordRead<>(path, node, null, e.getMessage());
        }
    }

    private static String check(String path, String name, Object record) {
        if (record instanceof JobRecord job) {
            return checkName(name, job.id());
        } else if (record instanceof BlacklistEntry entry) {
            return checkName(name, entry.agentId());
        } else if (record instanceof TaskRecord task) {
            return checkTask(path.substring(0, path.lastIndexOf('/')), name, task);
        }
        return null;
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

    /** Moves the unreadable bytes aside, with the reason beside them, in one fenced transaction. */
    private QuarantinedRecord quarantine(Fence fence, RecordRead<?> read) {
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
