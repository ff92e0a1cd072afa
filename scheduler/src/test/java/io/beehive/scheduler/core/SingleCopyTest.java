package io.beehive.scheduler.core;

import io.beehive.local.LocalClusterConfig;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.UpgradeStrategy;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Killing or restarting the only task of a 1-instance service never runs two copies at once: the replacement is
 * launched only once the killed task's terminal update is persisted. Each copy logs when its process starts and
 * when it exits (it takes 2 s to stop after SIGTERM), so overlap is measured on the processes themselves.
 */
class SingleCopyTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path workDir;
    private CoreFixture fx;
    private Path log;

    @BeforeEach
    void start() throws Exception {
        fx = new CoreFixture(LocalClusterConfig.builder().workDir(workDir.resolve("cluster")).agents(2));
        log = workDir.resolve("copies.log");
        Files.createFile(log);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    /** A start (true) or end (false) of one copy, with its wall-clock nanos. */
    private record Mark(boolean start, String pid, long nanos) {
    }

    private List<Mark> marks() throws Exception {
        List<Mark> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                out.add(new Mark(f[0].equals("start"), f[1], Long.parseLong(f[2])));
            }
        }
        return out;
    }

    private long starts() throws Exception {
        return marks().stream().filter(Mark::start).count();
    }

    /** Most copies alive at once, replaying the log in time order. */
    private int mostAtOnce() throws Exception {
        List<Mark> m = new ArrayList<>(marks());
        m.sort((x, y) -> Long.compare(x.nanos(), y.nanos()));
        int alive = 0;
        int most = 0;
        for (Mark k : m) {
            alive += k.start() ? 1 : -1;
            most = Math.max(most, alive);
        }
        return most;
    }

    @Test
    void killAndRestartOfAOneInstanceServiceNeverOverlapTwoCopies() throws Exception {
        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().build());
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        String command = "echo start $$ $(date +%s%N) >> " + log + "; "
                + "trap 'sleep 2; echo end $$ $(date +%s%N) >> " + log + "; exit 0' TERM; "
                + "while true; do sleep 0.1; done";
        long now = System.currentTimeMillis();
        // No over-capacity, so a rolling restart kills the one copy before it starts the next.
        s.createJob(new JobRecord("one", JobKind.SERVICE, CommandSpec.shell(command), Map.of(),
                new ResourceSpec(0.1, 16, 0, 0), 1, List.of(), RestartPolicy.DEFAULT, 10_000, null, 1, now, now,
                null, new UpgradeStrategy(0, 0, 0, 3, 600), 1, null, null, null))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> runningTasks(s, "one").size() == 1 && starts() == 1);
        TaskRecord first = runningTasks(s, "one").get(0);

        s.killTask(first.taskId()).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> starts() == 2 && runningTasks(s, "one").size() == 1
                && !runningTasks(s, "one").get(0).taskId().equals(first.taskId()));
        assertThat(marks()).filteredOn(m -> !m.start()).hasSize(1);
        assertThat(mostAtOnce()).as("copies alive at once after a kill").isEqualTo(1);

        TaskRecord second = runningTasks(s, "one").get(0);
        s.restartJob("one", false).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> starts() == 3 && runningTasks(s, "one").size() == 1
                && !runningTasks(s, "one").get(0).taskId().equals(second.taskId()));
        assertThat(marks()).filteredOn(m -> !m.start()).hasSize(2);
        assertThat(mostAtOnce()).as("copies alive at once after a restart").isEqualTo(1);
        assertThat(fx.liveMasterTasks()).hasSize(1);
    }

    /**
     * The other side of the rule: a kill nobody answers (the task's agent is cut off from the master, which keeps the
     * KILL pending) is given up after the grace period plus killReplaceAfter, and the service gets its copy back.
     */
    @Test
    void aKillThatIsNeverAnsweredIsGivenUpAfterTheGracePeriodAndKillReplaceAfter() throws Exception {
        long grace = 1_000;
        Duration replaceAfter = Duration.ofSeconds(3);
        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().killReplaceAfter(replaceAfter).build());
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        long now = System.currentTimeMillis();
        s.createJob(new JobRecord("one", JobKind.SERVICE, CommandSpec.shell("sleep 300"), Map.of(),
                new ResourceSpec(0.1, 16, 0, 0), 1, List.of(), RestartPolicy.DEFAULT, grace, null, 1, now, now))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> runningTasks(s, "one").size() == 1);
        TaskRecord cutOff = runningTasks(s, "one").get(0);

        fx.cluster.disconnectAgent(cutOff.agentId());
        s.killTask(cutOff.taskId()).get(10, TimeUnit.SECONDS);
        long killAskedAt = s.tasksOf("one").stream().filter(t -> t.taskId().equals(cutOff.taskId())).findFirst()
                .orElseThrow().killRequestedAtMillis();

        await().atMost(WAIT).until(() -> s.tasksOf("one").stream()
                .anyMatch(t -> !t.taskId().equals(cutOff.taskId()) && t.state() == TaskState.TASK_RUNNING));
        TaskRecord replacement = s.tasksOf("one").stream().filter(t -> !t.taskId().equals(cutOff.taskId()))
                .findFirst().orElseThrow();
        assertThat(replacement.launchedAtMillis()).as("launched only once the kill was given up")
                .isGreaterThanOrEqualTo(killAskedAt + grace + replaceAfter.toMillis());
        assertThat(replacement.agentId()).isNotEqualTo(cutOff.agentId());
        // The unanswered kill is still wanted: the old task is recorded as not yet dead.
        TaskRecord old = s.tasksOf("one").stream().filter(t -> t.taskId().equals(cutOff.taskId())).findFirst()
                .orElseThrow();
        assertThat(old.state()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(old.desiredState()).isEqualTo(io.beehive.state.record.DesiredState.KILLED);
    }
}
