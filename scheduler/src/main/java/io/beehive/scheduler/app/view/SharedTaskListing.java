package io.beehive.scheduler.app.view;

import io.beehive.state.record.TaskRecord;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The follower's full task listing, read once for every request that wants it at about the same time. Listing every
 * task record costs a read per record (14.6 s at 100,000 records); without sharing, each /v1/tasks, /v1/state or
 * /beehive request on a follower started its own, and a few operators polling during a fail-over piled up reads
 * that starved the ZooKeeper connection the replica also needs for its election. Here at most one listing is in
 * flight per replica; requests arriving meanwhile wait for it, and a finished listing answers for {@code maxAge}.
 */
final class SharedTaskListing {
    private record Listing(List<TaskRecord> tasks, long readAtNanos) {
    }

    private final Duration maxAge;
    private final Duration waitLimit;
    private final LongSupplier nanoClock;
    private CompletableFuture<Listing> latest;

    SharedTaskListing(Duration maxAge, Duration waitLimit) {
        this(maxAge, waitLimit, System::nanoTime);
    }

    SharedTaskListing(Duration maxAge, Duration waitLimit, LongSupplier nanoClock) {
        this.maxAge = maxAge;
        this.waitLimit = waitLimit;
        this.nanoClock = nanoClock;
    }

    /** The records, from a listing in flight or at most {@code maxAge} old, else from a new one done by the caller. */
    List<TaskRecord> get(Supplier<List<TaskRecord>> reader) {
        CompletableFuture<Listing> shared;
        boolean mine = false;
        synchronized (this) {
            if (latest == null || reusable(latest)) {
                shared = latest;
            } else {
                shared = null;
            }
            if (shared == null) {
                latest = new CompletableFuture<>();
                shared = latest;
                mine = true;
            }
        }
        if (mine) {
            long started = nanoClock.getAsLong();
            try {
                shared.complete(new Listing(List.copyOf(reader.get()), started));
            } catch (RuntimeException e) {
                shared.completeExceptionally(e);
                throw e;
            }
        }
        return await(shared).tasks();
    }

    /** In flight, or finished well and young enough; a failed listing is never handed to a later request. */
    private boolean reusable(CompletableFuture<Listing> f) {
        if (!f.isDone()) {
            return true;
        }
        if (f.isCompletedExceptionally()) {
            return false;
        }
        return nanoClock.getAsLong() - f.join().readAtNanos() <= maxAge.toNanos();
    }

    private Listing await(CompletableFuture<Listing> f) {
        try {
            return f.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted waiting for the task listing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StateUnavailableException unavailable) {
                throw unavailable;
            }
            throw new StateUnavailableException("cannot list tasks: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StateUnavailableException("the task listing from ZooKeeper took more than "
                    + waitLimit.toSeconds() + " s", e);
        }
    }
}
