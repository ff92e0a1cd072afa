package io.beehive.local.master;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns all master and agent state, like a libprocess actor: HTTP handlers, timers and
 * process-exit callbacks post work here, so no state needs a lock. A failing task is logged, never fatal.
 */
public final class EventLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    public EventLoop(String name) {
        java.util.concurrent.ScheduledThreadPoolExecutor pool = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        // every acknowledged update cancels a retry timer: drop cancelled timers at once, not when they would fire
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    public void post(Runnable work) {
        try {
            executor.execute(guarded(work));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("event loop closed; dropping work");
        }
    }

    /**
     * Like {@link #post} for work that must hear back when it cannot run: false if the loop is closed (the work is
     * then dropped), so a caller holding an HTTP exchange can still answer it.
     */
    public boolean tryPost(Runnable work) {
        try {
            executor.execute(guarded(work));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    public ScheduledFuture<?> schedule(Duration delay, Runnable work) {
        try {
            return executor.schedule(guarded(work), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs {@code work} on the loop and waits for its result (directly if already on the loop). */
    public <T> T call(Callable<T> work) {
        if (inLoop()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            return result.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the local cluster is closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the master's event loop did not answer within 60 s", e);
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    private static Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (Throwable t) {
                LOG.error("unexpected failure on the master's event loop", t);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
