package io.beehive.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Polls the Mesos master's {@code /state} every 250 ms for the whole storm: every task id it ever lists for our
 * framework, those it ever lists RUNNING, and every moment a job had more live copies (STAGING, STARTING, RUNNING,
 * KILLING) than it may have. The master's view is the ground truth: a duplicate launch shows here even if Beehive's
 * own view missed it.
 */
final class MasterWatcher implements AutoCloseable {
    /** A job seen with more live copies than allowed. */
    record Excess(long atMillis, String jobId, int allowed, List<String> liveTaskIds) {}

    private final LocalDeployment deployment;
    private final String frameworkId;
    private final ToIntFunction<String> allowedCopies;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> seenRunning = ConcurrentHashMap.newKeySet();
    private final List<Excess> excesses = new ArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "master-watcher");
        t.setDaemon(true);
        return t;
    });
    private volatile int polls;

    /** @param allowedCopies job id → how many live copies it may have (its instances; 1 for a batch job) */
    MasterWatcher(LocalDeployment deployment, String frameworkId, ToIntFunction<String> allowedCopies) {
        this.deployment = deployment;
        this.frameworkId = frameworkId;
        this.allowedCopies = allowedCopies;
        poller.scheduleWithFixedDelay(this::poll, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        MesosMasterState.read(deployment, frameworkId).ifPresent(state -> {
            polls++;
            Map<String, String> tasks = state.taskStates();
            seen.addAll(tasks.keySet());
            tasks.forEach((id, s) -> {
                if (s.equals("TASK_RUNNING")) {
                    seenRunning.add(id);
                }
            });
            state.liveTasksByJob().forEach((job, live) -> {
                int allowed = allowedCopies.applyAsInt(job);
                if (live.size() > allowed) {
                    synchronized (excesses) {
                        excesses.add(new Excess(System.currentTimeMillis(), job, allowed, List.copyOf(live)));
                    }
                }
            });
        });
    }

    Set<String> seen() {
        return Set.copyOf(seen);
    }

    Set<String> seenRunning() {
        return Set.copyOf(seenRunning);
    }

    List<Excess> excesses() {
        synchronized (excesses) {
            return List.copyOf(excesses);
        }
    }

    int polls() {
        return polls;
    }

    @Override
    public void close() throws InterruptedException {
        poller.shutdownNow();
        poller.awaitTermination(10, TimeUnit.SECONDS);
    }
}
