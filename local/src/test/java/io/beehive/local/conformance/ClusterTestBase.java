package io.beehive.local.conformance;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A local cluster for a conformance test class and the URI of its leading master. {@link ClusterPerTest} and
 * {@link ClusterPerClass} decide how long one cluster lives.
 */
abstract class ClusterTestBase {

    /** A long-running task that records its pid in its sandbox (the shell execs sleep, so the pid is sleep's). */
    static final String PID_THEN_SLEEP = "echo $$ > pid && exec sleep 600";

    static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path workDir;
    LocalCluster cluster;
    URI master;

    /** Override to shape the cluster; the default is one trace-like agent with the suite's short clocks. */
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return fast.agent(Clusters.traceAgent());
    }

    final void startCluster() {
        cluster = LocalCluster.start(config(Clusters.fast(workDir)).build());
        master = cluster.leaderUri();
    }

    final void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Launches a {@link #PID_THEN_SLEEP} task, waits until it runs and returns the pid of its live process. */
    long launchSleeper(RawScheduler fw, String taskId) {
        fw.launchRunning(taskId, PID_THEN_SLEEP);
        await().atMost(LONG).until(() -> taskPid(fw.frameworkId, taskId).isPresent());
        long pid = taskPid(fw.frameworkId, taskId).orElseThrow();
        assertThat(alive(pid)).as("process of %s", taskId).isTrue();
        return pid;
    }

    /** Pid written by a task started with {@link #PID_THEN_SLEEP}. */
    Optional<Long> taskPid(String frameworkId, String taskId) {
        Path file = cluster.sandbox(frameworkId, taskId).resolve("pid");
        try {
            String text = java.nio.file.Files.readString(file).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
