package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.FailoverHistory;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TermStatus;
import org.apache.curator.framework.CuratorFramework;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Beehive's durable state in ZooKeeper: the FrameworkID, jobs, task records and the agent blacklist. Layout in
 * {@link StateLayout}.
 *
 * <p>Writing: every write takes the leader's {@link Fence} and runs as fenced ZooKeeper transactions (see
 * {@link FencedWriter}); the returned future fails with {@link NotLeaderException} when the fence is gone, with
 * {@link RecordTooLargeException} when a record cannot fit in a transaction, and with
 * {@link StateWriteException} otherwise. Writes complete in submission order. A batch larger than one
 * transaction is split and lands part by part, each part all-or-nothing.
 *
 * <p>On election the leader calls {@link #loadAll} first: it creates the layout (fenced) and reads everything.
 * Writes before the layout exists fail (their parents are missing).
 *
 * <p>Reading single records ({@code read*}) is unfenced and allowed on any replica; an unreadable value makes the
 * future fail with {@link UnreadableRecordException} (only {@link #loadAll}, which is fenced, quarantines).
 */
public final class StateStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private final StateLayout layout;
    private final RecordCodec codec = new RecordCodec();
    private final ZkReader reader;
    private final FencedWriter writer;
    private final StateLoader loader;
    private final CuratorFramework client;
    private final int maxReadsInFlight;
    private volatile StateMirror mirror;

    private StateStore(CuratorFramework client, StateStoreConfig config) {
        this.client = client;
        this.maxReadsInFlight = config.maxReadsInFlight();
        this.layout = new StateLayout(config.root());
        this.reader = new ZkReader(client);
        this.writer = new FencedWriter(client, reader, new TransactionSizer(config.maxTransactionBytes()));
        this.loader = new StateLoader(layout, codec, reader, writer, config.maxReadsInFlight());
    }

    /** @param client a started client, with no namespace; the store does not close it */
    public static StateStore open(CuratorFramework client, StateStoreConfig config) {
        if (client.getNamespace() != null && !client.getNamespace().isEmpty()) {
            throw new IllegalArgumentException("the state store uses absolute paths; give it a client without a "
                    + "namespace (got namespace '" + client.getNamespace() + "')");
        }
        return new StateStore(client, config);
    }

    public StateLayout layout() {
        return layout;
    }

    /**
     * Creates the layout if missing, then reads every record in parallel; unreadable records are quarantined
     * (fenced) and reported. Blocks until done.
     *
     * @throws NotLeaderException if the fence is gone
     * @throws StateException     if ZooKeeper could not be read
     */
    public LoadedState loadAll(Fence fence) {
        return loader.load(fence);
    }

    /**
     * Starts this replica's {@link StateMirror} (once; later calls return the same): every record in memory, read in
     * the background and then kept current. Unfenced and read-only. {@link #loadForTerm} then starts from it.
     */
    public synchronized StateMirror startMirror() {
        if (mirror == null) {
            StateMirror started = new StateMirror(client, layout, loader, reader, maxReadsInFlight);
            started.start();
            mirror = started;
        }
        return mirror;
    }

    public Optional<StateMirror> mirror() {
        return Optional.ofNullable(mirror);
    }

    /**
     * A new leader's starting state. With a trusted {@link StateMirror}: the layout is ensured (fenced), the mirror
     * catches up with every change committed before this call (a sync, then the changes it has been told of) and
     * its records are the state; unreadable ones are quarantined as a load does. Without a mirror, or when it is not
     * trusted (a watch lost with a connection) or does not catch up within {@code catchUpLimit}: a full load, logged
     * at WARN with the reason and counted in {@link StateMirror#fallbacks()}.
     *
     * @throws NotLeaderException if the fence is gone
     * @throws StateException     if ZooKeeper could not be read
     */
    public LoadedState loadForTerm(Fence fence, Duration catchUpLimit) {
        return loadForTerm(fence, catchUpLimit, null);
    }

    /**
     * As {@link #loadForTerm(Fence, Duration)}; when {@code book} is the mirror's follower at the catch-up, it is
     * handed over and the jobs and tasks are not copied out of the mirror ({@link LoadedState#recordsWithFollower}):
     * the caller's book holds them. Copying 110,000 records took 250 ms of a loaded machine's fail-over.
     */
    public LoadedState loadForTerm(Fence fence, Duration catchUpLimit, StateMirror.Follower book) {
        StateMirror m = mirror;
        if (m == null) {
            return loadAll(fence);
        }
        long start = System.nanoTime();
        CompletableFuture<StoredRecords> caughtUp = m.catchUp(book);
        loader.ensureLayout(fence);
        String why;
        try {
            return loader.fenced(fence, caughtUp.get(catchUpLimit.toMillis(), TimeUnit.MILLISECONDS), start, true);
        } catch (ExecutionException e) {
            why = e.getCause().getMessage();
        } catch (TimeoutException e) {
            why = "it did not catch up within " + catchUpLimit.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while catching up with the state mirror", e);
        }
        m.countFallback();
        LOG.warn("The state mirror cannot be used ({}): reading every record instead", why);
        return loadAll(fence);
    }

    /**
     * Unfenced and read-only, for a replica standing by: reads and decodes a few records the way {@link #loadAll}
     * does (the framework id, up to a chunk of jobs, up to a chunk of one bucket's tasks), so that the JVM has run
     * that code before this replica's first load, which is on the fail-over's critical path. Changes nothing.
     *
     * @return how many records were read and decoded
     */
    public int readSample() {
        return loader.sample();
    }

    public WriteBatch batch() {
        return new WriteBatch(layout, codec);
    }

    public CompletableFuture<WriteReceipt> write(Fence fence, WriteBatch batch) {
        return writer.submit(fence, batch.mutations());
    }

    public CompletableFuture<WriteReceipt> saveFrameworkId(Fence fence, String frameworkId) {
        return write(fence, batch().putFrameworkId(frameworkId));
    }

    public CompletableFuture<WriteReceipt> saveJob(Fence fence, JobRecord job) {
        return write(fence, batch().putJob(job));
    }

    public CompletableFuture<WriteReceipt> deleteJob(Fence fence, String jobId) {
        return write(fence, batch().deleteJob(jobId));
    }

    public CompletableFuture<WriteReceipt> saveTasks(Fence fence, Collection<TaskRecord> tasks) {
        return write(fence, batch().putTasks(tasks));
    }

    public CompletableFuture<WriteReceipt> deleteTasks(Fence fence, Collection<String> taskIds) {
        WriteBatch batch = batch();
        taskIds.forEach(batch::deleteTask);
        return write(fence, batch);
    }

    public CompletableFuture<WriteReceipt> blacklistAgent(Fence fence, BlacklistEntry entry) {
        return write(fence, batch().putBlacklist(entry));
    }

    public CompletableFuture<WriteReceipt> unblacklistAgent(Fence fence, String agentId) {
        return write(fence, batch().removeBlacklist(agentId));
    }

    public CompletableFuture<Optional<String>> readFrameworkId() {
        return reader.data(layout.frameworkId()).thenApply(node -> Optional.ofNullable(node)
                .map(n -> new String(n.data(), StandardCharsets.UTF_8).trim())
                .filter(value -> !value.isEmpty()));
    }

    public CompletableFuture<WriteReceipt> saveTermStatus(Fence fence, TermStatus status) {
        return write(fence, batch().putTermStatus(status));
    }

    /** Unfenced read, for any replica: the status the latest leader published (it may have stopped since). */
    public CompletableFuture<Optional<TermStatus>> readTermStatus() {
        return read(layout.termStatus(), TermStatus.class);
    }

    /** Unfenced read, for any replica: the last fail-overs, newest first; empty before the first leader's. */
    public CompletableFuture<FailoverHistory> readFailoverHistory() {
        return read(layout.failoverHistory(), FailoverHistory.class).thenApply(h -> h.orElse(FailoverHistory.EMPTY));
    }

    public CompletableFuture<Optional<JobRecord>> readJob(String jobId) {
        return read(layout.job(WriteBatch.validId(jobId, "job id")), JobRecord.class);
    }

    public CompletableFuture<Optional<TaskRecord>> readTask(String taskId) {
        return read(layout.task(WriteBatch.validId(taskId, "task id")), TaskRecord.class);
    }

    private <T> CompletableFuture<Optional<T>> read(String path, Class<T> type) {
        return reader.data(path).thenApply(node -> Optional.ofNullable(node).map(n -> codec.decode(n.data(), type)));
    }

    /** Lets queued writes finish (up to 10 s), then refuses new ones; stops the mirror. Does not close the client. */
    @Override
    public void close() {
        StateMirror m = mirror;
        if (m != null) {
            m.close();
        }
        writer.close();
    }
}
