package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads the Mesos master's {@code /state} every 100 ms on its own thread and keeps, for one job, which tasks were live
 * and which ready at each look. The master, not Beehive, is asked: it is what the agents report, it answers while
 * no replica leads, and a duplicate launch or a premature kill shows there whatever Beehive believes. Ready here is
 * what Beehive's floor counts: TASK_RUNNING and reported healthy by the task's health check (the master keeps the
 * latest health result in the RUNNING entry of the task's {@code statuses}). Stops by itself after
 * {@code maxDuration}, so a test that fails half-way leaves no poller behind.
 */
final class DeploymentSampler implements AutoCloseable {
    /** One look at the master: the job's live task ids with their state, and those of them that are ready. */
    record Sample(long atMillis, Map<String, String> live, Set<String> ready) {
        /** Live task ids per instance ({@code <job>.<instance>.<attempt>.<random>}). */
        Map<Integer, List<String>> liveByInstance() {
            Map<Integer, List<String>> out = new TreeMap<>();
            live.keySet().forEach(id -> out.computeIfAbsent(instanceOf(id), i -> new ArrayList<>()).add(id));
            return out;
        }
    }

    private static final long PERIOD_MILLIS = 100;

    private final LocalDeployment deployment;
    private final String frameworkId;
    private final String jobId;
    private final long deadlineNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int failedReads;

    DeploymentSampler(LocalDeployment deployment, String frameworkId, String jobId, Duration maxDuration) {
        this.deployment = deployment;
        this.frameworkId = frameworkId;
        this.jobId = jobId;
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.thread = new Thread(this::run, "deployment-sampler-" + jobId);
        thread.setDaemon(true);
        thread.start();
    }

    static int instanceOf(String taskId) {
        String[] parts = taskId.split("\\.");
        return Integer.parseInt(parts[parts.length - 3]);
    }

    /** One look at the master now (empty when it does not answer). */
    static Optional<Sample> look(LocalDeployment deployment, String frameworkId, String jobId) {
        return MesosMasterState.read(deployment, frameworkId).map(state -> {
            Map<String, String> live = new HashMap<>();
            Set<String> ready = new HashSet<>();
            state.framework().ifPresent(f -> f.path("tasks").forEach(t -> {
                String id = t.path("id").asText();
                String s = t.path("state").asText();
                if (!MesosMasterState.jobOf(id).equals(jobId) || !MesosMasterState.LIVE.contains(s)) {
                    return;
                }
                live.put(id, s);
                if (s.equals("TASK_RUNNING") && lastHealth(t)) {
                    ready.add(id);
                }
            }));
            return new Sample(System.currentTimeMillis(), Map.copyOf(live), Set.copyOf(ready));
        });
    }

    /** The health result in the task's latest status, if it is a RUNNING one that says healthy. */
    private static boolean lastHealth(JsonNode task) {
        JsonNode statuses = task.path("statuses");
        if (statuses.isEmpty()) {
            return false;
        }
        JsonNode last = statuses.get(statuses.size() - 1);
        return last.path("state").asText().equals("TASK_RUNNING") && last.path("healthy").asBoolean(false);
    }

    private void run() {
        while (!stopped && System.nanoTime() < deadlineNanos) {
            long started = System.nanoTime();
            Optional<Sample> s = look(deployment, frameworkId, jobId);
            if (s.isPresent()) {
                synchronized (samples) {
                    samples.add(s.get());
                }
            } else {
                failedReads++;
            }
            long rest = PERIOD_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (rest > 0) {
                try {
                    Thread.sleep(rest); // the sampling period, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    Optional<Sample> latest() {
        synchronized (samples) {
            return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
        }
    }

    /** Whether some sample so far satisfies {@code test} (for awaiting a moment of the deployment). */
    boolean seen(Predicate<Sample> test) {
        return samples().stream().anyMatch(test);
    }

    int failedReads() {
        return failedReads;
    }

    boolean running() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
