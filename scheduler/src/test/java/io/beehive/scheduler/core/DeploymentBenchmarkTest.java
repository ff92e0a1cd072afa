package io.beehive.scheduler.core;

import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import io.beehive.scheduler.core.deploy.Readiness;
import io.beehive.state.record.DeploymentSummary;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.HealthCheckType;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How long a rolling deployment of a 100-instance service takes, in process, with the local cluster's TIMER executor
 * (no processes: STARTING, RUNNING and healthy each {@code beehive.bench.timerStepMillis} apart), and whether the
 * capacity floor and ceiling held: Beehive's own view of the job's tasks is sampled every 50 ms while the deployment
 * runs. Two strategies: 1.0/0.2 (floor 100, ceiling 120: new instances first) and 0.5/0 (floor 50, ceiling 100:
 * half the old ones go first), and 1.0/0.2 again with the leader abdicating midway (a second replica resumes the
 * deployment from its record; the leaderless moment has no sample). The instances have a COMMAND health check, so readiness is the executor's health
 * report, as with real tasks. The scheduler runs with the production defaults (offer filters, revive interval,
 * housekeeping), which bound how fast a deployment moves. Run with
 * {@code ./mvnw -B -Pbench verify -pl scheduler -am -Dtest=DeploymentBenchmarkTest}; figures go to stdout.
 */
@Tag("benchmark")
class DeploymentBenchmarkTest {
    private static final int INSTANCES = 100;
    private static final Duration SAMPLE_PERIOD = Duration.ofMillis(50);
    private static final HealthCheckSpec CHECK = new HealthCheckSpec(HealthCheckType.COMMAND, "true", null, null, 0,
            1, 5, 3, 5);

    @TempDir
    Path workDir;

    @Test
    void aHundredInstancesToANewVersion() throws Exception {
        long stepMillis = Long.getLong("beehive.bench.timerStepMillis", 50);
        LocalClusterConfig.Builder cluster = LocalClusterConfig.builder().workDir(workDir)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).timerExecutorStepDelay(Duration.ofMillis(stepMillis));
        for (int i = 0; i < 4; i++) {
            cluster.agent(AgentSpec.defaults("agent-" + i).withResources(100, 100_000, 0));
        }
        try (CoreFixture fx = new CoreFixture(cluster, true)) {
            // production defaults, except the first reconciliation's backoff (nothing to reconcile in a fresh cluster)
            CoreConfig config = CoreConfig.builder().reconcileBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
                    .build();
            BeehiveScheduler a = fx.replica("a:1", config);
            a.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.phase() == LifecyclePhase.ACTIVE);
            BeehiveScheduler b = fx.replica("b:1", config);
            b.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> b.phase() == LifecyclePhase.STANDBY);
            List<BeehiveScheduler> replicas = List.of(a, b);
            System.out.printf("deployment benchmark: %d instances, TIMER executor step %d ms, COMMAND health check, "
                    + "allocation interval 200 ms, decline filter %s, revive min interval %s, housekeeping %s%n",
                    INSTANCES, stepMillis, config.declineFilter(), config.reviveMinInterval(),
                    config.housekeepingInterval());

            List<String> lines = new ArrayList<>();
            lines.add(deploy(replicas, "svc-a", new UpgradeStrategy(1.0, 0.2, 0, 3, 600), false));
            lines.add(deploy(replicas, "svc-b", new UpgradeStrategy(0.5, 0.0, 0, 3, 600), false));
            lines.add(deploy(replicas, "svc-c", new UpgradeStrategy(1.0, 0.2, 0, 3, 600), true));
            lines.forEach(System.out::println);
        }
    }

    /**
     * Creates the job, waits for it to be ready, deploys a new version under sampling; the benchmark line. With
     * {@code failOver}, the leader abdicates once 40 instances run the new version, and the other replica finishes.
     */
    private static String deploy(List<BeehiveScheduler> replicas, String jobId, UpgradeStrategy strategy,
                                 boolean failOver) throws Exception {
        BeehiveScheduler first = leader(replicas);
        first.createJob(CoreFixture.service(jobId, INSTANCES, "sleep 3600", 0, CHECK, strategy))
                .get(30, TimeUnit.SECONDS);
        await(jobId + " ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> view(first, jobId).map(Counts::ready).orElse(0) == INSTANCES);
        int floor = strategy.floor(INSTANCES);
        int ceiling = strategy.ceiling(INSTANCES);

        JobRecord current = first.job(jobId).orElseThrow();
        Sampler sampler = new Sampler(replicas, jobId);
        Thread thread = new Thread(sampler, "deployment-benchmark-sampler");
        thread.setDaemon(true);
        thread.start();
        long started = System.nanoTime();
        JobRecord updated;
        String failOverNote = "";
        try {
            updated = first.updateJob(withEnvironment(current, Map.of("VERSION", "2")), false)
                    .get(30, TimeUnit.SECONDS);
            if (failOver) {
                long target = updated.runVersion();
                await(jobId + ": 40 instances on the new version").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> first.tasksOf(jobId).stream().filter(t -> t.runVersion() == target
                                && t.state() == TaskState.TASK_RUNNING).count() >= 40);
                long abdicated = System.nanoTime();
                assertThat(first.abdicate()).isTrue();
                BeehiveScheduler next = await("the other replica leading").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> replicas.stream().filter(r -> r != first && r.phase() == LifecyclePhase.ACTIVE)
                                .findFirst(), Optional::isPresent).orElseThrow();
                failOverNote = String.format(" with a leader change midway (new leader ACTIVE after %d ms)",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - abdicated));
                assertThat(next.job(jobId).orElseThrow().deployment()).as("the deployment resumed").isNotNull();
            }
            await(jobId + " deployed").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> leader(replicas).job(jobId).orElseThrow().deployment() == null);
        } finally {
            sampler.stop = true;
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        BeehiveScheduler last = leader(replicas);
        JobRecord done = last.job(jobId).orElseThrow();
        DeploymentSummary summary = done.deploymentHistory().get(0);
        assertThat(summary.id()).isEqualTo(updated.deployment().id());
        assertThat(summary.result()).as(summary.detail()).hasToString("SUCCEEDED");
        assertThat(last.tasksOf(jobId).stream().filter(t -> t.state() == TaskState.TASK_RUNNING))
                .hasSize(INSTANCES).allMatch(t -> t.runVersion() == done.runVersion());
        String line = String.format("BENCHMARK deployment %d instances min %s max %s%s: %.1f s, %d samples below the "
                        + "floor (%d samples; floor %d, min ready %d; ceiling %d, max live %d; %d kill steps)",
                INSTANCES, strategy.minimumHealthyCapacity(), strategy.maximumOverCapacity(), failOverNote, seconds,
                sampler.belowFloor(floor), sampler.samples.size(), floor, sampler.minReady(), ceiling,
                sampler.maxLive(), summary.steps());
        assertThat(sampler.samples.size()).as("samples").isGreaterThan(10);
        assertThat(sampler.belowFloor(floor)).as(line).isZero();
        assertThat(sampler.aboveCeiling(ceiling)).as(line).isZero();
        last.deleteJob(jobId).get(30, TimeUnit.SECONDS);
        return line;
    }

    /** The replica that leads (ACTIVE), waiting for one. */
    private static BeehiveScheduler leader(List<BeehiveScheduler> replicas) {
        return await("a leader").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> replicas.stream().filter(r -> r.phase() == LifecyclePhase.ACTIVE).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    private static JobRecord withEnvironment(JobRecord j, Map<String, String> environment) {
        return new JobRecord(j.id(), j.kind(), j.command(), environment, j.resources(), j.instances(), j.constraints(),
                j.restartPolicy(), j.killGracePeriodMillis(), j.goal(), j.version(), j.createdAtMillis(),
                j.updatedAtMillis(), j.healthCheck(), j.upgradeStrategy(), j.runVersion(), j.previousRun(),
                j.deployment(), j.deploymentHistory());
    }

    /** Live (not terminal) and ready tasks of one job, as the deployment itself counts them. */
    record Counts(int live, int ready) {
    }

    /**
     * The job's tasks as the leader's book holds them, read twice until both reads return the very same record
     * objects: the book is a concurrent map updated by the event loop, and a single pass could pair a record from
     * before a change with one from after another (a new instance not yet healthy next to the old one its health
     * already got killed), a moment that never existed. Records are immutable and replaced on every change, so two
     * identical passes saw the book as it stood.
     */
    static Optional<Counts> view(BeehiveScheduler s, String jobId) {
        while (true) {
            Map<String, TaskRecord> first = records(s, jobId);
            Map<String, TaskRecord> second = records(s, jobId);
            if (first.size() == second.size() && first.entrySet().stream()
                    .allMatch(e -> second.get(e.getKey()) == e.getValue())) {
                JobRecord job = s.job(jobId).orElse(null);
                if (job == null) {
                    return Optional.empty(); // the replica stopped leading meanwhile: its book is gone
                }
                long now = System.currentTimeMillis();
                int live = 0;
                int ready = 0;
                for (TaskRecord t : first.values()) {
                    if (t.state().isTerminal() || t.state() == TaskState.TASK_UNKNOWN) {
                        continue;
                    }
                    live++;
                    if (Readiness.ready(t, job.upgradeStrategy(), now)) {
                        ready++;
                    }
                }
                return Optional.of(new Counts(live, ready));
            }
        }
    }

    private static Map<String, TaskRecord> records(BeehiveScheduler s, String jobId) {
        Map<String, TaskRecord> out = new HashMap<>();
        s.tasksOf(jobId).forEach(t -> out.put(t.taskId(), t));
        return out;
    }

    /**
     * Samples the leading replica's {@link #view} every 50 ms until stopped (no sample while no replica is ACTIVE);
     * read its figures after its thread ended.
     */
    private static final class Sampler implements Runnable {
        final List<Counts> samples = new ArrayList<>();
        private final List<BeehiveScheduler> replicas;
        private final String jobId;
        volatile boolean stop;

        Sampler(List<BeehiveScheduler> replicas, String jobId) {
            this.replicas = replicas;
            this.jobId = jobId;
        }

        @Override
        public void run() {
            while (!stop) {
                replicas.stream().filter(r -> r.phase() == LifecyclePhase.ACTIVE).findFirst()
                        .flatMap(r -> view(r, jobId)).ifPresent(samples::add);
                try {
                    Thread.sleep(SAMPLE_PERIOD.toMillis()); // the sampling period, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long belowFloor(int floor) {
            return samples.stream().filter(c -> c.ready() < floor).count();
        }

        long aboveCeiling(int ceiling) {
            return samples.stream().filter(c -> c.live() > ceiling).count();
        }

        int minReady() {
            return samples.stream().mapToInt(Counts::ready).min().orElse(-1);
        }

        int maxLive() {
            return samples.stream().mapToInt(Counts::live).max().orElse(-1);
        }
    }
}
