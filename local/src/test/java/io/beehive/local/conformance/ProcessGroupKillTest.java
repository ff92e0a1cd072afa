package io.beehive.local.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A kill reaches every process the task started, also one whose parent has exited (a daemonising double fork,
 * re-parented to init: no longer a descendant of the task's process), as Mesos's launcher kills the whole
 * container. Without it such processes outlive the task, the agent and the test run.
 */
class ProcessGroupKillTest extends ClusterPerTest {

    /** The subshell forks a sleep and exits at once: the sleep is orphaned, then the task execs a sleep of its own. */
    private static final String ORPHANING = "(sleep 600 & echo $! > child) ; echo $$ > pid && exec sleep 600";

    @Test
    void killReachesAnOrphanedChild() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.partitionAware("orphans").build())) {
            long child = launchOrphaning(fw, "orphaning");
            fw.call(Calls.kill(fw.frameworkId, "orphaning", null));
            fw.stream.awaitUpdate("orphaning", TaskState.TASK_KILLED);
            await().atMost(LONG).until(() -> !alive(child));
        }
    }

    @Test
    void removingTheAgentReachesAnOrphanedChild() {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.partitionAware("orphans").build())) {
            long child = launchOrphaning(fw, "orphaning");
            cluster.removeAgent(cluster.agentIds().get(0));
            fw.stream.awaitMasterUpdate("orphaning");
            await().atMost(LONG).until(() -> !alive(child));
        }
    }

    private long launchOrphaning(RawScheduler fw, String taskId) {
        fw.launchRunning(taskId, ORPHANING);
        Path file = cluster.sandbox(fw.frameworkId, taskId).resolve("child");
        await().atMost(LONG).until(() -> read(file).isPresent() && taskPid(fw.frameworkId, taskId).isPresent());
        long child = read(file).orElseThrow();
        assertThat(alive(child)).isTrue();
        // orphaned: not among the task's descendants, which is all a tree walk would find
        long pid = taskPid(fw.frameworkId, taskId).orElseThrow();
        assertThat(ProcessHandle.of(pid).orElseThrow().descendants().mapToLong(ProcessHandle::pid))
                .doesNotContain(child);
        return child;
    }

    private static Optional<Long> read(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
