package io.beehive.scheduler.core.term;

import io.beehive.election.Fence;
import io.beehive.state.NotLeaderException;
import io.beehive.state.StateStore;
import io.beehive.state.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The term's ordered write stream with group commit: while one fenced write is in flight, later submissions wait
 * and then go together as ONE batch. Order is kept (a later submission never lands before an earlier one), the
 * event loop never waits for ZooKeeper, and under load many status updates share one transaction.
 *
 * <p>Confined to the event loop: {@link #submit} is called there and every callback runs there.
 */
final class GroupCommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** What a submitter hears back, on the event loop. */
    interface Outcome {
        void durable();

        void failed(Throwable error);
    }

    private record Pending(Consumer<WriteBatch> mutations, Outcome outcome) {
    }

    private final StateStore store;
    private final Fence fence;
    private final Executor loop;
    private final Runnable onFenceLost;
    private List<Pending> queued = new ArrayList<>();
    private boolean inFlight;
    /** Set once a write failed because the fence is gone: every later write would fail the same way. */
    private NotLeaderException fencedOut;

    GroupCommitWriter(StateStore store, Fence fence, Executor loop, Runnable onFenceLost) {
        this.store = store;
        this.fence = fence;
        this.loop = loop;
        this.onFenceLost = onFenceLost;
    }

    void submit(Consumer<WriteBatch> mutations, Outcome outcome) {
        if (fencedOut != null) {
            outcome.failed(fencedOut);
            return;
        }
        queued.add(new Pending(mutations, outcome));
        if (!inFlight) {
            flush();
        }
    }

    boolean idle() {
        return !inFlight && queued.isEmpty();
    }

    private void flush() {
        if (queued.isEmpty()) {
            return;
        }
        List<Pending> group = queued;
        queued = new ArrayList<>();
        WriteBatch batch = store.batch();
        List<Pending> accepted = new ArrayList<>(group.size());
        for (Pending p : group) {
            try {
                p.mutations().accept(batch);
                accepted.add(p);
            } catch (RuntimeException e) {
                // A record that cannot be encoded (e.g. too large) fails alone, not the whole group.
                p.outcome().failed(e);
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        inFlight = true;
        store.write(fence, batch).whenCompleteAsync((receipt, error) -> {
            inFlight = false;
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            for (Pending p : accepted) {
                try {
                    if (cause == null) {
                        p.outcome().durable();
                    } else {
                        p.outcome().failed(cause);
                    }
                } catch (RuntimeException e) {
                    LOG.error("Write completion handler failed", e);
                }
            }
            if (cause instanceof NotLeaderException notLeader) {
                // Writes queued behind this one would fail the same way; they must hear so rather than wait
                // for ever (a command's caller is waiting on them).
                fencedOut = notLeader;
                List<Pending> stranded = queued;
                queued = new ArrayList<>();
                for (Pending p : stranded) {
                    try {
                        p.outcome().failed(notLeader);
                    } catch (RuntimeException e) {
                        LOG.error("Write completion handler failed", e);
                    }
                }
                onFenceLost.run();
            } else {
                flush();
            }
        }, loop);
    }
}
