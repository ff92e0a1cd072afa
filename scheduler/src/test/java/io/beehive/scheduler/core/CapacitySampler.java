package io.beehive.scheduler.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches a job from the Mesos master's side while a deployment runs: every 100 ms it reads {@code /master/state}
 * and counts the job's live tasks (not terminal) and ready ones. Ready, as the master can tell: RUNNING and last
 * reported healthy; for a job without a health check (null {@code minReady} means it has one), RUNNING for at least
 * {@code minReady} since its first RUNNING status (Beehive counts from when it received that status, later, so it
 * never thinks an instance ready before the master would). Stops by itself after ten minutes.
 */
final class CapacitySampler implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofMillis(100);
    private static final Duration LONGEST = Duration.ofMinutes(10);

    private final CoreFixture fx;
    private final String prefix;
    private final int floor;
    private final int ceiling;
    private final Duration minReady;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private int samples;
    private int minReadySeen = Integer.MAX_VALUE;
    private int maxLiveSeen;

    CapacitySampler(CoreFixture fx, String jobId, int floor, int ceiling, Duration minReady) {
        this.fx = fx;
        this.prefix = jobId + ".";
        this.floor = floor;
        this.ceiling = ceiling;
        this.minReady = minReady;
        this.thread = new Thread(this::run, "capacity-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long end = System.nanoTime() + LONGEST.toNanos();
        while (!stop.get() && System.nanoTime() < end) {
            long next = System.nanoTime() + PERIOD.toNanos();
            try {
                sample();
            } catch (Exception e) {
                synchronized (this) {
                    violations.add("sample failed: " + e);
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // the sampling period, not a synchronisation
            }
        }
    }

    /** The job's ready instances as the master shows them now (see the class comment for "ready"). */
    static int readyOnMaster(CoreFixture fx, String jobId, Duration minReady) throws Exception {
        return (int) fx.masterTasks().stream().filter(t -> t.taskId().startsWith(jobId + ".") && t.live()
                && isReady(t, minReady, System.currentTimeMillis())).count();
    }

    private static boolean isReady(CoreFixture.MasterTask t, Duration minReady, long now) {
        return t.state().equals("TASK_RUNNING") && (minReady == null ? Boolean.TRUE.equals(t.healthy())
                : t.runningSince() > 0 && now - t.runningSince() >= minReady.toMillis());
    }

    private void sample() throws Exception {
        long now = System.currentTimeMillis();
        int live = 0;
        int ready = 0;
        for (CoreFixture.MasterTask t : fx.masterTasks()) {
            if (!t.taskId().startsWith(prefix) || !t.live()) {
                continue;
            }
            live++;
            if (isReady(t, minReady, now)) {
                ready++;
            }
        }
        synchronized (this) {
            samples++;
            minReadySeen = Math.min(minReadySeen, ready);
            maxLiveSeen = Math.max(maxLiveSeen, live);
            if (ready < floor || live > ceiling) {
                violations.add("sample " + samples + ": ready " + ready + " (floor " + floor + "), live " + live
                        + " (ceiling " + ceiling + ")");
            }
        }
    }

    synchronized void assertHeld() {
        System.out.printf("capacity sampler: %d samples, fewest ready %d (floor %d), most live %d (ceiling %d)%n",
                samples, minReadySeen, floor, maxLiveSeen, ceiling);
        assertThat(samples).as("samples taken").isGreaterThan(5);
        assertThat(violations).as("samples outside the floor or the ceiling").isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(5_000);
    }
}
