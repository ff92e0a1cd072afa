package io.beehive.local.agent;

import io.beehive.local.master.EventLoop;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The timing of Mesos's checker process, shared by health checks and checks: the first run {@code delay} after
 * {@link #start()}, the next {@code interval} after each one ended (the real ones ran ~1.1 s apart with interval
 * 1). Driven from the agent's event loop, which must never block: a run happens on a worker thread and its
 * outcome is posted back to the loop, where it reaches the consumer, unless the schedule was stopped meanwhile.
 */
final class ProbeSchedule {

    /**
     * Shared by every schedule of the JVM; threads are created for runs in flight and end after a few idle
     * seconds, so nothing lingers once the tasks are gone.
     */
    private static final ExecutorService WORKERS = workers();

    private final EventLoop loop;
    private final TaskProbe probe;
    private final Duration delay;
    private final Duration interval;
    private final Duration timeout;
    private final Consumer<TaskProbe.Outcome> onOutcome;
    private ScheduledFuture<?> timer;
    private Future<?> inFlight;
    private boolean stopped;

    /** @param timeout null for none */
    ProbeSchedule(EventLoop loop, TaskProbe probe, Duration delay, Duration interval, Duration timeout,
                  Consumer<TaskProbe.Outcome> onOutcome) {
        this.loop = loop;
        this.probe = probe;
        this.delay = delay;
        this.interval = interval;
        this.timeout = timeout;
        this.onOutcome = onOutcome;
    }

    /** On the loop. */
    void start() {
        timer = loop.schedule(delay, this::run);
    }

    /** No run starts and no outcome is delivered after this; a run in flight is interrupted. On the loop. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (inFlight != null) {
            inFlight.cancel(true); // a COMMAND probe kills its process when interrupted
            inFlight = null;
        }
    }

    boolean stopped() {
        return stopped;
    }

    private void run() {
        timer = null;
        if (stopped) {
            return;
        }
        inFlight = WORKERS.submit(() -> {
            TaskProbe.Outcome outcome;
            try {
                outcome = probe.run(timeout);
            } catch (InterruptedException e) {
                return; // stopped while running: nobody wants the outcome
            } catch (RuntimeException e) {
                outcome = TaskProbe.Outcome.fail(null, e.toString());
            }
            TaskProbe.Outcome result = outcome;
            loop.post(() -> finished(result));
        });
    }

    private void finished(TaskProbe.Outcome outcome) {
        inFlight = null;
        if (stopped) {
            return;
        }
        onOutcome.accept(outcome);
        // the consumer may have stopped us (the task is being killed): then no next run
        if (!stopped) {
            timer = loop.schedule(interval, this::run);
        }
    }

    /** Seconds of a proto field (doubles, fractions allowed) as a Duration. */
    static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static ExecutorService workers() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "task-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
