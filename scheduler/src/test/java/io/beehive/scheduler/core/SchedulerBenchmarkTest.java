package io.beehive.scheduler.core;

import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end figures with the local cluster's TIMER executor (no processes): launch rate (record written, LAUNCH
 * sent, RUNNING persisted and acknowledged) and reconciliation time after a fail-over. The launch is measured three
 * times: the first job in a fresh JVM (cold), the same number again (warm), then one burst up to the reconciliation
 * size. Each phase also reports the JVM's CPU time per task, which depends far less on the machine's other load than
 * the wall-clock rate. Run with
 * {@code ./mvnw -B -Pbench verify -pl scheduler -am}; figures go to stdout.
 */
@Tag("benchmark")
class SchedulerBenchmarkTest {
    @TempDir
    Path workDir;

    private static int intProperty(String name, int def) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(def)));
    }

    @Test
    void launchRateAndReconciliationTime() throws Exception {
        int launchTasks = intProperty("beehive.bench.launchTasks", 10_000);
        int reconcileTasks = intProperty("beehive.bench.reconcileTasks", 100_000);
        // The cold figure is bound by the JIT: say which JVM and which JIT options these figures had.
        System.out.printf("jvm: %s %s, options %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getInputArguments().stream().filter(a -> a.startsWith("-XX") || a.startsWith("-Xm")).toList());
        LocalClusterConfig.Builder cluster = LocalClusterConfig.builder().workDir(workDir)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).timerExecutorStepDelay(Duration.ofMillis(5));
        for (int i = 0; i < 10; i++) {
            cluster.agent(AgentSpec.defaults("agent-" + i).withResources(100_000, 100_000_000, 0));
        }
        try (CoreFixture fx = new CoreFixture(cluster, true)) {
            CoreConfig config = CoreFixture.fastConfig().reconcileMaxDuration(Duration.ofMinutes(5))
                    .stagingTimeout(Duration.ofMinutes(2))
                    .reconcileBackoff(Duration.ofSeconds(5), Duration.ofSeconds(30))
                    .history(0, Duration.ofMinutes(1))
                    // The production default (the fast test setting, 200 ms, walked all live tasks five times a
                    // second); the agents' status update retry interval is Mesos's real 10 s as well.
                    .housekeepingInterval(Duration.ofSeconds(1)).build();
            BeehiveScheduler a = fx.replica("a:1", config);
            a.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.phase() == LifecyclePhase.ACTIVE);

            long t0 = System.nanoTime();
            a.createJob(job("bench", launchTasks)).get(30, TimeUnit.SECONDS);
            awaitRunningAndAcked(a, launchTasks);
            double launchSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("launch: %d tasks RUNNING (persisted and acknowledged) in %.2f s = %.0f tasks/s "
                    + "(cold: the first job of a fresh JVM)%n", launchTasks, launchSeconds, launchTasks / launchSeconds);

            int running = launchTasks;
            double warmRate = Double.NaN;
            double burstRate = Double.NaN;
            if (reconcileTasks >= 2 * launchTasks) {
                // The same number again in the now warm JVM (the JIT compiler's threads are busy for more than the
                // whole cold launch): a scheduler that has been running launches at this rate.
                warmRate = scaleAndMeasure(a, running, 2 * launchTasks, "warm JVM, " + launchTasks + " running");
                running = 2 * launchTasks;
            }
            int burst = reconcileTasks - running;
            if (burst > 0) {
                burstRate = scaleAndMeasure(a, running, reconcileTasks, "one burst, " + running + " running");
            }
            BeehiveScheduler b = fx.replica("b:1", config);
            b.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> b.phase() == LifecyclePhase.STANDBY && b.leader().isPresent());
            a.abdicate();
            // The fail-over duration is recorded just after the phase turns ACTIVE: wait for both.
            await().atMost(Duration.ofMinutes(5)).until(() -> b.phase() == LifecyclePhase.ACTIVE
                    && b.lastFailoverDuration().isPresent());
            var reconciliation = b.metrics();
            System.out.printf("fail-over with %d tasks: new leader in office after %d ms (load, subscribe, explicit "
                    + "reconciliation of every task)%n", reconcileTasks, b.lastFailoverDuration().orElseThrow().toMillis());
            System.out.printf("reconciliation of %d tasks: %d ms%n", reconcileTasks,
                    b.metrics().lastReconciliationMillis());
            System.out.printf("summary: %d tasks launched at %.0f tasks/s by a running scheduler and %d at once at %.0f "
                    + "tasks/s (goal >= 2000); the first %d after the JVM started at %.0f tasks/s (bound by the JIT); "
                    + "reconciliation of %d tasks in %d ms (goal <= 10000)%n", launchTasks, warmRate, burst, burstRate,
                    launchTasks, launchTasks / launchSeconds, reconcileTasks, b.metrics().lastReconciliationMillis());
            assertThat(b.taskCountsByState().get(TaskState.TASK_RUNNING)).isEqualTo((long) Math.max(launchTasks, reconcileTasks));
            assertThat(reconciliation.tasksLaunched()).isZero();
        }
    }

    /** Scales the job from {@code from} to {@code to} tasks, prints the figures and returns the launch rate. */
    private static double scaleAndMeasure(BeehiveScheduler s, int from, int to, String what) throws Exception {
        long start = System.nanoTime();
        s.scaleJob("bench", to).get(30, TimeUnit.SECONDS);
        awaitRunningAndAcked(s, to);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("launch: %d more tasks in %.2f s = %.0f tasks/s (%s)%n", to - from, seconds,
                (to - from) / seconds, what);
        return (to - from) / seconds;
    }

    private static void awaitRunningAndAcked(BeehiveScheduler s, int n) {
        long start = System.nanoTime();
        long launchedBefore = s.metrics().tasksLaunched();
        long receivedBefore = s.metrics().updatesReceived();
        long target = n - s.taskCountsByState().getOrDefault(TaskState.TASK_RUNNING, 0L);
        Progress progress = Progress.start(s, start);
        CpuUse cpu = CpuUse.sample();
        try {
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> s.metrics().tasksLaunched() - launchedBefore >= target);
            long launched = System.nanoTime();
            // Counting RUNNING records walks every task: only do it once each new task can have sent two updates
            // (STARTING, RUNNING), so the benchmark's own polling does not steal the CPU it measures.
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> s.metrics().updatesReceived() - receivedBefore >= 2 * target
                            && s.taskCountsByState().getOrDefault(TaskState.TASK_RUNNING, 0L) == n);
            long running = System.nanoTime();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> s.metrics().updatesAcknowledged() >= s.metrics().updatesAcknowledgeable());
            long acked = System.nanoTime();
            System.out.printf("  milestones: all LAUNCHes sent %d ms, all RUNNING received %d ms, all acknowledged %d ms "
                            + "(updates received %d, with uuid %d, acknowledged %d)%n",
                    (launched - start) / 1_000_000, (running - start) / 1_000_000, (acked - start) / 1_000_000,
                    s.metrics().updatesReceived(), s.metrics().updatesAcknowledgeable(), s.metrics().updatesAcknowledged());
            System.out.println(cpu.report(target));
        } finally {
            progress.stop();
        }
    }

    /**
     * CPU time this JVM spent (the scheduler, the local master and agents, and ZooKeeper all run in it), in total and by
     * thread group: unlike the wall-clock rate it hardly depends on what else the machine is running.
     */
    private static final class CpuUse {
        private final long processNanos;
        private final Map<String, Long> byGroup;
        private final long compileMillis;
        private final long gcMillis;

        private CpuUse(long processNanos, Map<String, Long> byGroup, long compileMillis, long gcMillis) {
            this.processNanos = processNanos;
            this.byGroup = byGroup;
            this.compileMillis = compileMillis;
            this.gcMillis = gcMillis;
        }

        /** The JIT compilers' threads are hidden from the thread list: their time comes from this bean. */
        private static long compileMillis() {
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        }

        private static long gcMillis() {
            return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
        }

        static CpuUse sample() {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            Map<String, Long> groups = new java.util.TreeMap<>();
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    groups.merge(group(info.getThreadName()), nanos, Long::sum);
                }
            }
            return new CpuUse(os.getProcessCpuTime(), groups, compileMillis(), gcMillis());
        }

        /** Thread names without their numbers: "master-http-12" and "master-http-3" are one group. */
        private static String group(String threadName) {
            return threadName.replaceAll("[0-9]+", "#").replaceAll("(-#)+$", "");
        }

        String report(long tasks) {
            CpuUse now = sample();
            long total = now.processNanos - processNanos;
            StringBuilder out = new StringBuilder(String.format("  cpu: %.2f s for %d tasks = %.0f us/task; JIT "
                            + "compilation %.1f s, GC %.1f s (elapsed in their threads); by thread:",
                    total / 1e9, tasks, total / 1e3 / tasks, (now.compileMillis - compileMillis) / 1e3,
                    (now.gcMillis - gcMillis) / 1e3));
            now.byGroup.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - byGroup.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > total / 100)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(" %s %.0f%%", e.getKey(), 100.0 * e.getValue() / total)));
            return out.toString();
        }
    }

    /**
     * With {@code -Dbeehive.bench.progress=true}: one line per second of cheap counters (launched, updates received,
     * acknowledged), to see where a run spends its time.
     */
    private static final class Progress {
        private final java.util.concurrent.ScheduledExecutorService timer;

        private Progress(java.util.concurrent.ScheduledExecutorService timer) {
            this.timer = timer;
        }

        static Progress start(BeehiveScheduler s, long startNanos) {
            if (!Boolean.getBoolean("beehive.bench.progress")) {
                return new Progress(null);
            }
            var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            timer.scheduleAtFixedRate(() -> System.out.printf("    %5d ms: launched %d, updates received %d, "
                            + "acknowledgeable %d, acknowledged %d%n", (System.nanoTime() - startNanos) / 1_000_000,
                    s.metrics().tasksLaunched(), s.metrics().updatesReceived(), s.metrics().updatesAcknowledgeable(),
                    s.metrics().updatesAcknowledged()), 0, 1, TimeUnit.SECONDS);
            return new Progress(timer);
        }

        void stop() {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    private static JobRecord job(String id, int instances) {
        return new JobRecord(id, JobKind.SERVICE, CommandSpec.shell("sleep 1000"), Map.of(),
                new ResourceSpec(0.01, 1, 0, 0), instances, List.of(), RestartPolicy.DEFAULT, 0, null, 1, 0, 0);
    }
}
