package io.beehive.scheduler.core.term;

import com.codahale.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one thread a leadership term's state lives on. Every event (Mesos callback, write completion, command,
 * timer) runs here, so the term's parts need no locks. Once the term has halted, queued work is dropped: a halted
 * term must send nothing more to Mesos.
 */
final class TermLoop implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(TermLoop.class);

    private final long term;
    private final BooleanSupplier halted;
    private final ScheduledExecutorService executor;
    private final Counter failures;

    TermLoop(long term, BooleanSupplier halted, Counter failures) {
        this.term = term;
        this.halted = halted;
        this.failures = failures;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "beehive-term-" + term);
            t.setDaemon(true);
            return t;
        });
    }

    /** Raw execution, for write completions and commands that must run (and answer) even as the term halts. */
    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    Runnable guard(String what, Runnable body) {
        return () -> {
            if (halted.getAsBoolean()) {
                return;
            }
            try {
                body.run();
            } catch (RuntimeException e) {
                // One bad event must not kill the loop (a scheduled task that throws is never run again).
                failures.inc();
                LOG.error("Term {}: {} failed", term, what, e);
            }
        };
    }

    void post(String what, Runnable body) {
        try {
            executor.execute(guard(what, body));
        } catch (RejectedExecutionException e) {
            LOG.debug("Term {} is over; dropping {}", term, what);
        }
    }

    void schedule(String what, Runnable body, Duration delay) {
        try {
            executor.schedule(guard(what, body), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Term {} is over; dropping {}", term, what);
        }
    }

    void every(String what, Runnable body, Duration interval) {
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(guard(what, body), millis, millis, TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        executor.shutdownNow();
    }
}
