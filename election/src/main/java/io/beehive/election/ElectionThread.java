package io.beehive.election;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread on which a {@link LeaderElection} handles every event and runs every listener callback.
 * One thread is what makes the callbacks sequential and ordered without locks.
 */
final class ElectionThread {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionThread.class);

    private final String name;
    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    ElectionThread(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread created = new Thread(runnable, name);
            created.setDaemon(true);
            thread = created;
            return created;
        });
    }

    /** For Curator listeners, which hand their calls to an executor. */
    Executor executor() {
        return executor;
    }

    /** Queues an event; after shutdown it is dropped, since nothing is left to act on it. */
    void execute(String event, Runnable handler) {
        try {
            executor.execute(() -> guarded(event, handler));
        } catch (RejectedExecutionException closed) {
            LOG.debug("{}: {} after shutdown, ignored", name, event);
        }
    }

    /**
     * Runs {@code task} on the thread and waits for its result.
     *
     * @throws RejectedExecutionException after {@link #shutdown}
     * @throws IllegalStateException      on the thread itself (it would wait for itself)
     */
    <T> T call(String what, Callable<T> task) {
        requireElsewhere(what);
        try {
            return executor.submit(task).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(what + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    ScheduledFuture<?> schedule(String event, Runnable handler, Duration delay) {
        // Nanoseconds: the lease check is re-armed for exactly the time left, which may be under a millisecond.
        return executor.schedule(() -> guarded(event, handler), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    void scheduleEvery(String event, Runnable handler, Duration period) {
        executor.scheduleWithFixedDelay(() -> guarded(event, handler), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void requireElsewhere(String what) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException(what + " must not be called from a leadership callback");
        }
    }

    /** Stops taking events and waits (bounded) for the one in progress, e.g. a slow callback. */
    void shutdown(Duration wait) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: a leadership callback is still running after {}", name, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An executor would swallow a handler's exception silently; log it instead and keep the thread going. */
    void guarded(String event, Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            LOG.error("{}: handling {} failed", name, event, e);
        }
    }
}
