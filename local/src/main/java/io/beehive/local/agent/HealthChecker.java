package io.beehive.local.agent;

import io.beehive.local.master.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task's {@code health_check} the way the Mesos 1.11 command executor does: the first check
 * {@code delay_seconds} after the task started, the next {@code interval_seconds} after each one ended, results
 * judged by {@link HealthCheckPolicy} and handed to the {@link Listener}. Owned by the task's runner and driven
 * from the agent's event loop; a check itself runs on a worker thread (it may block for up to its timeout), and
 * its result is posted back to the loop. One line per result goes to the sandbox {@code stderr}, as the real
 * executor logs there.
 */
final class HealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    /** What the executor is told after a check whose result matters (called on the loop). */
    interface Listener {
        void healthChanged(boolean healthy, boolean killTask);
    }

    /**
     * Shared by every checker of the JVM; threads are created for checks in flight and end after a few idle
     * seconds, so nothing lingers once the tasks are gone.
     */
    private static final ExecutorService WORKERS = workers();

    private final EventLoop loop;
    private final String taskId;
    private final HealthProbe probe;
    private final HealthCheckPolicy policy;
    private final Duration delay;
    private final Duration interval;
    private final Duration timeout;
    private final Path log;
    private final Listener listener;
    private final String name;
    private long startNanos;
    private ScheduledFuture<?> timer;
    private Future<?> inFlight;
    private boolean stopped;

    HealthChecker(EventLoop loop, String taskId, HealthCheck check, HealthProbe probe, Path log, Listener listener) {
        this.loop = loop;
        this.taskId = taskId;
        this.probe = probe;
        this.policy = new HealthCheckPolicy(seconds(check.getGracePeriodSeconds()), check.getConsecutiveFailures());
        this.delay = seconds(check.getDelaySeconds());
        this.interval = seconds(check.getIntervalSeconds());
        // Mesos: a timeout of zero means none
        this.timeout = check.getTimeoutSeconds() > 0 ? seconds(check.getTimeoutSeconds()) : null;
        this.log = log;
        this.listener = listener;
        this.name = probe.kind() + " health check";
    }

    /** Starts the clock of the grace period and schedules the first check. On the loop. */
    void start() {
        startNanos = System.nanoTime();
        timer = loop.schedule(delay, this::check);
    }

    /** No check starts and no result is reported after this; a check process in flight is killed. On the loop. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (inFlight != null) {
            inFlight.cancel(true);
            inFlight = null;
        }
        sandboxLog("Stopped " + name + " for task '" + taskId + "'");
    }

    private void check() {
        timer = null;
        if (stopped) {
            return;
        }
        inFlight = WORKERS.submit(() -> {
            HealthProbe.Outcome outcome;
            try {
                outcome = probe.run(timeout);
            } catch (InterruptedException e) {
                return; // stopped while checking: nobody wants the result
            } catch (RuntimeException e) {
                outcome = HealthProbe.Outcome.fail(null, e.toString());
            }
            HealthProbe.Outcome result = outcome;
            loop.post(() -> finished(result));
        });
    }

    private void finished(HealthProbe.Outcome outcome) {
        inFlight = null;
        if (stopped) {
            return;
        }
        String ofTask = name + " for task '" + taskId + "'";
        if (outcome.returned() != null) {
            sandboxLog(ofTask + " returned: " + outcome.returned());
        }
        HealthCheckPolicy.Verdict verdict;
        if (outcome.passed()) {
            verdict = policy.passed();
        } else {
            sandboxLog(ofTask + " failed: " + outcome.failure());
            verdict = policy.failed(Duration.ofNanos(System.nanoTime() - startNanos));
        }
        switch (verdict) {
            case BECAME_HEALTHY -> listener.healthChanged(true, false);
            case STILL_HEALTHY -> { }
            case IGNORED_IN_GRACE -> sandboxLog("Ignoring failure of " + ofTask + ": still in grace period");
            case UNHEALTHY, UNHEALTHY_KILL -> {
                sandboxLog(ofTask + " failed " + policy.consecutiveFailures() + " times consecutively");
                listener.healthChanged(false, verdict == HealthCheckPolicy.Verdict.UNHEALTHY_KILL);
            }
        }
        // the listener may have stopped us (a kill): then no next check
        if (!stopped) {
            timer = loop.schedule(interval, this::check);
        }
    }

    private void sandboxLog(String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debug("cannot append to {}: {}", log, e.toString());
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static ExecutorService workers() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "health-check-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        return pool;
    }
}
