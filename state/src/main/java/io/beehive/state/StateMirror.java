package io.beehive.state;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every record of the state, in memory, kept current on every replica: read once in full, then followed through a
 * persistent recursive watch on the root. Watch events carry no data, so each changed path is read again; paths
 * that change while a read is under way are collected in a set and read together in the next round (multi-reads
 * of up to 40 task records), so a launch storm costs a few requests per round however many records it touches.
 * It never writes (standbys never write): an unreadable record is held aside here and quarantined by the leader
 * that starts from this copy.
 *
 * <p>One thread applies everything (reads of a path happen one after another, the last read wins), so the copy
 * needs no per-record versions. Readers on other threads see each record as a whole, changes applied one by one.
 *
 * <p>Trust: the copy is exact only while its watch is in place. ZooKeeper re-registers a persistent watch after a
 * reconnection but does not replay the changes of the subtree it missed meanwhile, and a new session has no watch
 * at all: so on SUSPENDED or LOST the copy is untrusted, and on RECONNECTED the watch is added again (on the
 * current handle) and every record read again ({@code beehive.state.mirror.resyncs}, logged at WARN with the
 * reason). Until then followers still read the old copy, and a leader elected meanwhile does a full load.
 *
 * <p>Catching up ({@link #catchUp}): a {@code sync} on the root, then a round of reads on this thread. ZooKeeper's
 * handle delivers watch events and answers on one thread in the server's order, so when the sync answers, the
 * event of every change committed before it has been handed to this mirror; draining after that applies them all,
 * deletions included (which a zxid comparison with one node's stat would not show).
 */
public final class StateMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateMirror.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final CuratorFramework client;
    private final StateLayout layout;
    private final StateLoader loader;
    private final ZkReader reader;
    private final int maxReadsInFlight;
    private final ScheduledThreadPoolExecutor thread;
    private final Watcher watcher = this::changed;
    private final ConnectionStateListener connection = (c, state) -> connectionChanged(state);
    private final String jobsPrefix;
    private final String tasksPrefix;
    private final String blacklistPrefix;

    /** Paths changed since their last read; guarded by itself. */
    private final Set<String> dirty = new LinkedHashSet<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    /** Moves on every loss of connection: a catch-up or reload that spans one cannot be trusted. */
    private final AtomicLong generation = new AtomicLong();
    private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
    private final LongAdder resyncs = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder recordsApplied = new LongAdder();

    private volatile Optional<String> frameworkId = Optional.empty();
    private volatile Map<String, JobRecord> jobs = new ConcurrentHashMap<>();
    private volatile Map<String, TaskRecord> tasks = new ConcurrentHashMap<>();
    private volatile Map<String, BlacklistEntry> blacklist = new ConcurrentHashMap<>();
    private volatile Map<String, RecordRead<?>> unreadable = new ConcurrentHashMap<>();
    private volatile long appliedZxid;
    private volatile boolean trusted;
    private volatile String untrustedBecause = "not loaded yet";
    private volatile CountDownLatch held;
    /** Touched only on the mirror's thread. */
    private Follower follower;

    /**
     * Told every change the mirror applies, on the mirror's thread, from a full copy on: a structure the scheduler
     * keeps current on a standby (its book of jobs and tasks), so that a new leader does not build it while nobody
     * leads. Handed over, and told no more, at the next catch-up.
     */
    public interface Follower {
        /** Everything, after a full read (also right after {@link #attach}). */
        void reset(Collection<JobRecord> jobs, Collection<TaskRecord> tasks, Collection<BlacklistEntry> blacklist);

        /** @param job the record now, or {@code null} when it is gone (or cannot be read) */
        void job(String jobId, JobRecord job);

        void task(String taskId, TaskRecord task);

        void blacklist(String agentId, BlacklistEntry entry);

        /** From now on the copy is its owner's: caught up with every change before a new term's sync. */
        void handedOver();
    }

    StateMirror(CuratorFramework client, StateLayout layout, StateLoader loader, ZkReader reader,
                int maxReadsInFlight) {
        this.client = client;
        this.layout = layout;
        this.loader = loader;
        this.reader = reader;
        this.maxReadsInFlight = maxReadsInFlight;
        this.jobsPrefix = layout.jobs() + "/";
        this.tasksPrefix = layout.tasks() + "/";
        this.blacklistPrefix = layout.blacklist() + "/";
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "beehive-state-mirror");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts following: the watch and the first full read happen in the background. */
    void start() {
        client.getConnectionStateListenable().addListener(connection);
        queueResync("start");
    }

    // ---- what it holds (any thread) -----------------------------------------------------------------------------

    /** Waits until the first full read is done; false if it is not within {@code limit}. */
    public boolean awaitLoaded(Duration limit) {
        try {
            firstLoad.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean loaded() {
        return firstLoad.isDone();
    }

    /** Whether the copy follows every change now (watch in place, no disconnection since the last full read). */
    public boolean trusted() {
        return trusted;
    }

    public Optional<String> frameworkId() {
        return frameworkId;
    }

    public Collection<JobRecord> jobs() {
        return Collections.unmodifiableCollection(jobs.values());
    }

    public Optional<JobRecord> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    public Collection<TaskRecord> tasks() {
        return Collections.unmodifiableCollection(tasks.values());
    }

    public Optional<TaskRecord> task(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    public Collection<BlacklistEntry> blacklist() {
        return Collections.unmodifiableCollection(blacklist.values());
    }

    /** Records that cannot be decoded, by path; the next leader quarantines them. */
    public Set<String> unreadablePaths() {
        return Collections.unmodifiableSet(unreadable.keySet());
    }

    /** The highest zxid of a record change applied (deletions carry none). */
    public long appliedZxid() {
        return appliedZxid;
    }

    /** Full reads after the first one: each follows a lost or interrupted watch. */
    public long resyncs() {
        return resyncs.sum();
    }

    /** New leaders that could not start from this copy and loaded every record instead. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** Record changes read and applied after a full read. */
    public long recordsApplied() {
        return recordsApplied.sum();
    }

    /**
     * Stops applying changes until the returned handle is closed (changes keep being collected): a copy that lags on
     * purpose, for tests of what a new leader does with a lagging copy.
     */
    public AutoCloseable holdChanges() {
        CountDownLatch latch = new CountDownLatch(1);
        held = latch;
        return () -> {
            held = null;
            latch.countDown();
        };
    }

    // ---- catching up (a new leader) -----------------------------------------------------------------------------

    /**
     * Completes with every record as of this call: after a sync, every change committed before it is applied.
     * Fails when the copy is not trusted or stops being trusted meanwhile.
     */
    CompletableFuture<StoredRecords> catchUp() {
        return catchUp(null);
    }

    /**
     * As {@link #catchUp()}; if {@code book} is the follower being handed over, the jobs and tasks are left out of
     * the answer ({@link StoredRecords#recordsWithFollower}): {@code book} holds the same, caught up.
     */
    CompletableFuture<StoredRecords> catchUp(Follower book) {
        long asked = System.nanoTime();
        return afterSync(drained -> {
            Follower f = follower;
            follower = null;
            if (f != null) {
                f.handedOver();
            }
            long copying = System.nanoTime();
            StoredRecords copy = snapshot(f != null && f == book);
            // One line per new term: where a catch-up spends its time is a fail-over's business.
            LOG.info("State mirror under {} caught up: sync answered after {} ms, changes applied by {} ms, "
                    + "records copied in {} ms{}", layout.root(), millisBetween(asked, drained.syncAnswered()),
                    millisBetween(asked, drained.applied()), millisBetween(copying, System.nanoTime()),
                    f == null ? "" : f == book ? "; book handed over, records left with it" : "; book handed over");
            return copy;
        });
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    /** When (nano clock) a catch-up's sync was answered and the changes it covers were applied. */
    private record Drained(long syncAnswered, long applied) {}

    /**
     * Waits until every change committed before this call is applied (read-your-writes for a client that wrote
     * through this replica); false if that did not happen within {@code limit} or the copy is not trusted.
     */
    public boolean awaitCurrent(Duration limit) {
        try {
            afterSync(drained -> Boolean.TRUE).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private <T> CompletableFuture<T> afterSync(java.util.function.Function<Drained, T> onMirrorThread) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long at = generation.get();
        if (!trusted) {
            result.completeExceptionally(new StateException("the state mirror is not trusted: " + untrustedBecause));
            return result;
        }
        // This stage runs on the handle's event thread, after the events of every change before the sync.
        reader.sync(layout.root()).whenComplete((synced, error) -> {
            long syncAnswered = System.nanoTime();
            if (error != null) {
                result.completeExceptionally(new StateException("sync before catching up failed: " + error, error));
                return;
            }
            try {
                thread.execute(() -> {
                    try {
                        drain();
                        if (!trusted || generation.get() != at) {
                            throw new StateException("the state mirror lost its watch while catching up: "
                                    + untrustedBecause);
                        }
                        result.complete(onMirrorThread.apply(new Drained(syncAnswered, System.nanoTime())));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new StateException("the state mirror is closed", e));
            }
        });
        return result;
    }

    /** Replaces the follower (if any) with {@code next}, which gets a full copy first if there is one yet. */
    public void attach(Follower next) {
        submit(() -> {
            follower = next;
            if (firstLoad.isDone()) {
                next.reset(jobs.values(), tasks.values(), blacklist.values());
            }
        });
    }

    void countFallback() {
        fallbacks.increment();
    }

    private StoredRecords snapshot(boolean recordsWithFollower) {
        if (recordsWithFollower) {
            return new StoredRecords(frameworkId, List.of(), List.of(), List.copyOf(blacklist.values()),
                    List.copyOf(unreadable.values()), appliedZxid, true);
        }
        return new StoredRecords(frameworkId, List.copyOf(jobs.values()), List.copyOf(tasks.values()),
                List.copyOf(blacklist.values()), List.copyOf(unreadable.values()), appliedZxid, false);
    }

    // ---- following ------------------------------------------------------------------------------------------------

    /** The watch's events, on the ZooKeeper handle's event thread: note the path, never block. */
    private void changed(WatchedEvent event) {
        if (event.getType() == Watcher.Event.EventType.None || event.getPath() == null
                || typeAt(event.getPath()) == null) {
            return;
        }
        synchronized (dirty) {
            dirty.add(event.getPath());
        }
        if (drainQueued.compareAndSet(false, true)) {
            submit(() -> {
                drainQueued.set(false);
                drain();
            });
        }
    }

    private void connectionChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> untrust("ZooKeeper connection " + state.name().toLowerCase());
            case RECONNECTED -> {
                untrust("reconnected to ZooKeeper: changes made while disconnected are not replayed to the watch");
                queueResync("reconnected to ZooKeeper (session 0x" + Long.toHexString(reader.sessionId()) + ")");
            }
            default -> {
                // CONNECTED is the first connection (start() reads then); READ_ONLY is not used by Beehive
            }
        }
    }

    private void untrust(String why) {
        generation.incrementAndGet();
        if (trusted) {
            LOG.warn("State mirror under {} no longer trusted: {}", layout.root(), why);
        }
        trusted = false;
        untrustedBecause = why;
    }

    private void queueResync(String why) {
        if (resyncQueued.compareAndSet(false, true)) {
            submit(() -> {
                resyncQueued.set(false);
                resync(why);
            });
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** On the mirror's thread: watch (again) first, then read everything; changes during the read follow it. */
    private void resync(String why) {
        long at = generation.get();
        boolean first = !firstLoad.isDone();
        if (!first) {
            resyncs.increment();
            LOG.warn("State mirror under {}: reading every record again ({})", layout.root(), why);
        }
        long started = System.nanoTime();
        try {
            synchronized (dirty) {
                dirty.clear(); // everything is read below; later changes are noted again by the watch
            }
            await(reader.watchTree(layout.root(), watcher), "adding the watch on " + layout.root());
            StoredRecords everything = loader.readEverything(() -> { });
            install(everything);
            if (generation.get() == at) {
                trusted = true;
                untrustedBecause = null;
            }
            firstLoad.complete(null);
            LOG.info("State mirror under {} {} in {} ms: {} jobs, {} tasks, {} unreadable; up to zxid 0x{}{}",
                    layout.root(), first ? "loaded" : "reloaded", (System.nanoTime() - started) / 1_000_000,
                    jobs.size(), tasks.size(), unreadable.size(), Long.toHexString(appliedZxid),
                    trusted ? "" : " (not trusted: the connection dropped meanwhile; reading again on reconnection)");
        } catch (RuntimeException e) {
            untrust("reading every record failed: " + e.getMessage());
            LOG.warn("State mirror under {}: reading every record failed ({}); trying again in {} ms", layout.root(),
                    e.toString(), RETRY_AFTER.toMillis());
            try {
                thread.schedule(() -> queueResync("the last attempt failed"), RETRY_AFTER.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                return;
            }
            return;
        }
        drain();
    }

    private void install(StoredRecords everything) {
        Map<String, JobRecord> newJobs = new ConcurrentHashMap<>(capacity(everything.jobs().size()));
        everything.jobs().forEach(j -> newJobs.put(j.id(), j));
        Map<String, TaskRecord> newTasks = new ConcurrentHashMap<>(capacity(everything.tasks().size()));
        everything.tasks().forEach(t -> newTasks.put(t.taskId(), t));
        Map<String, BlacklistEntry> newBlacklist = new ConcurrentHashMap<>();
        everything.blacklist().forEach(b -> newBlacklist.put(b.agentId(), b));
        Map<String, RecordRead<?>> newUnreadable = new ConcurrentHashMap<>();
        everything.unreadable().forEach(r -> newUnreadable.put(r.path(), r));
        frameworkId = everything.frameworkId();
        jobs = newJobs;
        tasks = newTasks;
        blacklist = newBlacklist;
        unreadable = newUnreadable;
        appliedZxid = Math.max(appliedZxid, everything.highestZxid());
        if (follower != null) {
            follower.reset(newJobs.values(), newTasks.values(), newBlacklist.values());
        }
    }

    private static int capacity(int records) {
        return Math.max(16, records + records / 3);
    }

    /**
     * On the mirror's thread: reads every noted path again and applies what it finds, until none is left. A failed
     * read puts its paths back and leaves the copy untrusted until a full read.
     */
    private void drain() {
        CountDownLatch hold = held;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        while (true) {
            List<String> paths;
            synchronized (dirty) {
                if (dirty.isEmpty()) {
                    return;
                }
                paths = new ArrayList<>(dirty);
                dirty.clear();
            }
            try {
                readAgainAndApply(paths);
            } catch (RuntimeException e) {
                synchronized (dirty) {
                    dirty.addAll(paths);
                }
                untrust("reading changed records failed: " + e.getMessage());
                if (client.getZookeeperClient().isConnected()) {
                    queueResync("reading changed records failed");
                }
                return;
            }
        }
    }

    /** Reads the paths in multi-reads (task records 40 at a time, larger records 8) and applies what it finds. */
    private void readAgainAndApply(List<String> paths) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> taskChunk = new ArrayList<>();
        List<String> otherChunk = new ArrayList<>();
        for (String path : paths) {
            boolean task = typeAt(path) == TaskRecord.class;
            List<String> chunk = task ? taskChunk : otherChunk;
            chunk.add(path);
            if (chunk.size() == (task ? StateLoader.TASKS_PER_READ : StateLoader.RECORDS_PER_READ)) {
                chunks.add(List.copyOf(chunk));
                chunk.clear();
            }
        }
        for (List<String> rest : List.of(taskChunk, otherChunk)) {
            if (!rest.isEmpty()) {
                chunks.add(List.copyOf(rest));
            }
        }
        ReadWindow window = new ReadWindow(maxReadsInFlight);
        List<CompletableFuture<List<ZkReader.Node>>> reads = new ArrayList<>(chunks.size());
        for (List<String> chunk : chunks) {
            reads.add(window.submit(() -> reader.dataOfMany(chunk)));
        }
        for (int c = 0; c < chunks.size(); c++) {
            List<ZkReader.Node> nodes = await(reads.get(c), "reading " + chunks.get(c).size() + " changed records");
            apply(chunks.get(c), nodes);
        }
    }

    private void apply(List<String> paths, List<ZkReader.Node> nodes) {
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            ZkReader.Node node = nodes.get(i);
            Class<?> type = typeAt(path);
            if (node != null) {
                appliedZxid = Math.max(appliedZxid, node.stat().getMzxid());
            }
            recordsApplied.increment();
            if (type == String.class) {
                frameworkId = StateLoader.frameworkIdOf(node);
                continue;
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> records = (Map<String, Object>) (Map<String, ?>) (type == JobRecord.class ? jobs
                    : type == TaskRecord.class ? tasks : blacklist);
            RecordRead<?> read = node == null ? null : loader.decode(path, node, type);
            Object now = read == null || !read.readable() ? null : read.record();
            if (now == null) {
                records.remove(name);
            } else {
                records.put(name, now);
            }
            tell(type, name, now);
            if (read != null && !read.readable()) {
                unreadable.put(path, read);
            } else {
                unreadable.remove(path);
            }
        }
    }

    private void tell(Class<?> type, String name, Object record) {
        Follower f = follower;
        if (f == null) {
            return;
        }
        if (type == JobRecord.class) {
            f.job(name, (JobRecord) record);
        } else if (type == TaskRecord.class) {
            f.task(name, (TaskRecord) record);
        } else if (type == BlacklistEntry.class) {
            f.blacklist(name, (BlacklistEntry) record);
        }
    }

    /** The record type stored at {@code path}, {@code String} for the framework id; null for any other node. */
    private Class<?> typeAt(String path) {
        if (path.equals(layout.frameworkId())) {
            return String.class;
        } else if (path.startsWith(jobsPrefix)) {
            return path.indexOf('/', jobsPrefix.length()) < 0 ? JobRecord.class : null;
        } else if (path.startsWith(blacklistPrefix)) {
            return path.indexOf('/', blacklistPrefix.length()) < 0 ? BlacklistEntry.class : null;
        } else if (path.startsWith(tasksPrefix)) {
            int slash = path.indexOf('/', tasksPrefix.length());
            return slash > 0 && slash < path.length() - 1 && path.indexOf('/', slash + 1) < 0 ? TaskRecord.class
                    : null;
        }
        return null;
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StateException(what + " took more than " + READ_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted " + what, e);
        }
    }

    @Override
    public void close() {
        client.getConnectionStateListenable().removeListener(connection);
        thread.shutdownNow();
        CountDownLatch hold = held;
        if (hold != null) {
            hold.countDown();
        }
        try {
            client.getZookeeperClient().getZooKeeper().removeWatches(layout.root(), watcher, Watcher.WatcherType.Any,
                    true);
        } catch (Exception e) {
            // the client may be closed already; its watches go with it
        }
    }
}
