package io.beehive.scheduler.core;

import io.beehive.local.LocalClusterConfig;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task that ignores SIGTERM: Beehive re-sends its KILL while the task is not terminal, and Mesos kills it only
 * once the job's grace period has passed (the process is really gone afterwards).
 */
class KillGracePeriodTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long GRACE_MILLIS = 6_000;

    @TempDir
    Path workDir;
    private CoreFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new CoreFixture(LocalClusterConfig.builder().workDir(workDir.resolve("cluster")).agents(1));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aTaskIgnoringSigtermIsKillRetriedAndKilledOnlyAfterItsGracePeriod() throws Exception {
        CoreConfig config = CoreFixture.fastConfig().killRetryInterval(Duration.ofSeconds(1)).build();
        BeehiveScheduler s = fx.replica("a:1", config);
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        Path pidFile = workDir.resolve("stubborn.pid");
        // exec keeps the ignored disposition: the very process Mesos signals is the one that ignores SIGTERM.
        String command = "trap '' TERM; echo $$ > " + pidFile + "; exec sleep 600";
        long now = System.currentTimeMillis();
        JobRecord job = new JobRecord("stubborn", JobKind.SERVICE, CommandSpec.shell(command), Map.of(),
                new ResourceSpec(0.1, 16, 0, 0), 1, List.of(), RestartPolicy.DEFAULT, GRACE_MILLIS, null, 1, now, now);
        s.createJob(job).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> runningTasks(s, "stubborn").size() == 1 && Files.size(pidFile) > 0);
        TaskRecord task = runningTasks(s, "stubborn").get(0);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(pid)).as("the task's process").isPresent();

        long killsBefore = s.metrics().killsSent.getCount();
        long asked = System.nanoTime();
        s.killTask(task.taskId()).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> s.tasks().stream().filter(t -> t.taskId().equals(task.taskId()))
                .anyMatch(t -> t.state() == TaskState.TASK_KILLED));
        long tookMillis = (System.nanoTime() - asked) / 1_000_000;

        // The executor starts its grace period only once our KILL reaches it, so the kill cannot be quicker.
        assertThat(tookMillis).as("time from kill to TASK_KILLED").isGreaterThanOrEqualTo(GRACE_MILLIS);
        // SIGTERM did nothing, so the first KILL did not end the task: it was sent again while it still ran.
        assertThat(s.metrics().killsSent.getCount() - killsBefore).as("KILLs sent").isGreaterThanOrEqualTo(2);
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));

        // Terminal: no more KILLs for it (several retry intervals pass without one).
        long killsAtEnd = s.metrics().killsSent.getCount();
        await().during(Duration.ofSeconds(3)).atMost(WAIT)
                .until(() -> s.metrics().killsSent.getCount() == killsAtEnd);
    }
}
