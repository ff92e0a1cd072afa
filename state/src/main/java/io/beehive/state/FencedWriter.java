package io.beehive.state;

import io.beehive.election.Fence;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The only code that changes Beehive's znodes. Every change runs in a ZooKeeper transaction whose first operation
 * is {@code check(fence.latchPath())}: the transaction lands only while the writer's latch node exists, i.e.
 * while its leadership term lasts (invariant 1). If the fence fails the caller gets {@link NotLeaderException}
 * and nothing of that transaction landed.
 *
 * <p>Order: submissions run one at a time on one thread, so writes land and their futures complete in
 * submission order. Futures complete on that thread: dependent stages must not block (use the *Async variants
 * for anything slow).
 *
 * <p>Size: a submission whose estimate passes the transaction budget is split into several fenced transactions
 * (see {@link TransactionSizer}); they land one after another, each all-or-nothing, so a failure part way
 * leaves the earlier parts written and none of the later ones. A single mutation that cannot fit is refused
 * before anything is sent.
 *
 * <p>Create-or-set: ZooKeeper has no upsert, so the writer first asks which nodes exist (read-only multi requests
 * of 500 paths, pipelined), then builds create / setData / delete operations accordingly. If another writer changed that
 * picture in between, the transaction fails with NODEEXISTS or NONODE on a tolerant operation and is rebuilt
 * and retried; the values are the same, so a retry is idempotent.
 */
final class FencedWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FencedWriter.class);
    /**
     * A conflict needs a second writer under the same fence, or a transaction Curator retried after a
     * connection loss that had in fact landed; each retry re-reads, so conflicts rarely repeat. Bounded anyway,
     * so that a persistent fight surfaces as an error instead of a spin.
     */
    private static final int MAX_ATTEMPTS = 20;
    /** Existence checks per read-only multi; each answer is a few bytes, so this is bounded by request size. */
    private static final int LEAVES_PER_READ = 500;
    private static final long STALL_REPORT_SECONDS = 5;

    private final CuratorFramework client;
    private final ZkReader reader;
    private final TransactionSizer sizer;
    private final ExecutorService thread;

    FencedWriter(CuratorFramework client, ZkReader reader, TransactionSizer sizer) {
        this.client = client;
        this.reader = reader;
        this.sizer = sizer;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "beehive-state-writer");
            t.setDaemon(true);
            return t;
        });
    }

    CompletableFuture<WriteReceipt> submit(Fence fence, List<Mutation> mutations) {
        List<Mutation> collapsed = collapse(mutations);
        CompletableFuture<WriteReceipt> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(write(fence, collapsed));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new StateException("the state store is closed", e));
        }
        return result;
    }

    /** Waits for queued writes to finish (at most 10 s); later submissions fail. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("state writer still busy after 10 s at close; abandoning queued writes");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }

    /** The last mutation of a path wins; the batch then holds one mutation per path, in first-seen order. */
    private static List<Mutation> collapse(List<Mutation> mutations) {
        Map<String, Mutation> byPath = new LinkedHashMap<>();
        for (Mutation m : mutations) {
            byPath.put(m.path(), m);
        }
        return byPath.size() == mutations.size() ? List.copyOf(mutations) : List.copyOf(byPath.values());
    }

    private WriteReceipt write(Fence fence, List<Mutation> mutations) {
        List<List<Mutation>> parts = sizer.split(mutations, fence.latchPath());
        for (int i = 0; i < parts.size(); i++) {
            try {
                writePart(fence, parts.get(i));
            } catch (RuntimeException | Error e) {
                logPartial(i, parts.size());
                throw e;
            } catch (Exception e) {
                logPartial(i, parts.size());
                throw new StateWriteException("fenced transaction failed: " + e, e);
            }
        }
        if (parts.size() > 1) {
            LOG.debug("wrote {} mutations in {} fenced transactions", mutations.size(), parts.size());
        }
        return new WriteReceipt(mutations.size(), parts.size());
    }

    private static void logPartial(int failedPart, int parts) {
        if (failedPart > 0) {
            LOG.warn("split write failed at part {} of {}: parts 1..{} landed, the rest did not", failedPart + 1,
                    parts, failedPart);
        }
    }

    private void writePart(Fence fence, List<Mutation> part) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Set<String> existing = existing(part);
            List<CuratorOp> ops = new ArrayList<>(part.size() + 1);
            List<Mutation> opMutations = new ArrayList<>(part.size() + 1);
            TransactionOp tx = client.transactionOp();
            ops.add(tx.check().forPath(fence.latchPath()));
            opMutations.add(null);
            for (Mutation m : part) {
                CuratorOp op = toOp(tx, m, existing.contains(m.path()));
                if (op != null) {
                    ops.add(op);
                    opMutations.add(m);
                }
            }
            try {
                client.transaction().forOperations(ops);
                return;
            } catch (KeeperException e) {
                int failedAt = failedIndex(e);
                boolean fenceFailed = failedAt == 0 && e.code() == KeeperException.Code.NONODE;
                if (fenceFailed || (failedAt != 0 && fenceIsGone(fence))) {
                    LOG.warn("fenced write refused: latch node {} (epoch {}) is gone", fence.latchPath(),
                            fence.epoch());
                    throw new NotLeaderException(fence);
                }
                Mutation culprit = failedAt > 0 ? opMutations.get(failedAt) : null;
                boolean conflict = e.code() == KeeperException.Code.NODEEXISTS
                        || e.code() == KeeperException.Code.NONODE;
                if (conflict && culprit != null && culprit.tolerant() && attempt < MAX_ATTEMPTS) {
                    LOG.info("write conflict on {} ({}), rebuilding the transaction (attempt {})", culprit.path(),
                            e.code(), attempt + 1);
                    continue;
                }
                String where = failedAt == 0 ? " at the fence " + fence.latchPath() + " (can this client read it?)"
                        : culprit != null ? " at " + culprit.path() : "";
                throw new StateWriteException("fenced transaction failed with " + e.code() + where
                        + "; nothing of it landed", e);
            }
        }
    }

    /**
     * Which nodes the tolerant mutations of this part touch exist, asked all at once: record paths (leaves) in
     * read-only multi requests of {@link #LEAVES_PER_READ}, structural nodes one by one.
     */
    private Set<String> existing(List<Mutation> part) throws Exception {
        List<String> leaves = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Mutation m : part) {
            if (m instanceof Mutation.EnsureExists) {
                others.add(m.path());
            } else if (m.tolerant()) {
                leaves.add(m.path());
            }
        }
        List<CompletableFuture<List<Boolean>>> leafAnswers = new ArrayList<>();
        for (int from = 0; from < leaves.size(); from += LEAVES_PER_READ) {
            List<String> chunk = leaves.subList(from, Math.min(leaves.size(), from + LEAVES_PER_READ));
            // The raw multi-read is not retried by Curator; across a connection blip, ask node by node (retried).
            leafAnswers.add(reader.leavesExist(chunk).exceptionallyCompose(error -> oneByOne(chunk)));
        }
        List<CompletableFuture<Stat>> otherAnswers = new ArrayList<>();
        for (String path : others) {
            otherAnswers.add(reader.exists(path));
        }
        Set<String> existing = new HashSet<>();
        for (int chunk = 0; chunk < leafAnswers.size(); chunk++) {
            List<Boolean> present = await(leafAnswers.get(chunk), "the existence of " + leaves.size() + " records");
            for (int i = 0; i < present.size(); i++) {
                if (present.get(i)) {
                    existing.add(leaves.get(chunk * LEAVES_PER_READ + i));
                }
            }
        }
        for (int i = 0; i < others.size(); i++) {
            if (await(otherAnswers.get(i), "the existence of " + others.get(i)) != null) {
                existing.add(others.get(i));
            }
        }
        return existing;
    }

    private CompletableFuture<List<Boolean>> oneByOne(List<String> paths) {
        List<CompletableFuture<Stat>> answers = paths.stream().map(reader::exists).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(answer -> answer.join() != null).toList());
    }

    private static CuratorOp toOp(TransactionOp tx, Mutation m, boolean exists) throws Exception {
        if (m instanceof Mutation.Put put) {
            return exists
                    ? tx.setData().forPath(put.path(), put.data())
                    : tx.create().withMode(CreateMode.PERSISTENT).forPath(put.path(), put.data());
        }
        if (m instanceof Mutation.Delete delete) {
            return exists ? tx.delete().forPath(delete.path()) : null;
        }
        if (m instanceof Mutation.EnsureExists ensure) {
            return exists ? null : tx.create().withMode(CreateMode.PERSISTENT).forPath(ensure.path(), ensure.data());
        }
        if (m instanceof Mutation.CreateNew create) {
            return tx.create().withMode(CreateMode.PERSISTENT).forPath(create.path(), create.data());
        }
        Mutation.DeleteExact delete = (Mutation.DeleteExact) m;
        return tx.delete().withVersion(delete.version()).forPath(delete.path());
    }

    /** Index of the operation that failed, from the multi's results; -1 if ZooKeeper did not say. */
    private static int failedIndex(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult error
                    && error.getErr() != KeeperException.Code.OK.intValue()
                    && error.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A latch node, once deleted, never comes back (a new term gets a new sequential path), so "gone now" after
     * a failed transaction is as good as "gone then".
     */
    private boolean fenceIsGone(Fence fence) {
        try {
            return await(reader.exists(fence.latchPath()), "the latch node " + fence.latchPath()) == null;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Every write of the term waits behind this one (one writer thread), so a read that ZooKeeper does not answer
     * stalls the leader's whole write stream: say so every few seconds, naming what it waits for, rather than sit
     * silent until the two-minute limit.
     */
    private static <T> T await(CompletableFuture<T> future, String what) throws Exception {
        long start = System.nanoTime();
        long limit = TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                return future.get(STALL_REPORT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            } catch (TimeoutException e) {
                long waited = System.nanoTime() - start;
                if (waited >= limit) {
                    throw e;
                }
                LOG.warn("state write stalled: ZooKeeper has not answered a read of {} for {} s; every later write "
                        + "waits behind it", what, TimeUnit.NANOSECONDS.toSeconds(waited));
            }
        }
    }
}
