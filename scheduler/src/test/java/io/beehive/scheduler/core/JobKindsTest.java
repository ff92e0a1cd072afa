package io.beehive.scheduler.core;

import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import io.beehive.state.StateStore;
import io.beehive.state.record.BackoffPolicy;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Constraint;
import io.beehive.state.record.ConstraintOperator;
import io.beehive.state.record.CrashLoopGuard;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.scheduler.core.term.CommandRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Batch and daemon jobs, placement constraints, the blacklist, bounded history and bad commands. */
class JobKindsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RestartPolicy QUICK = new RestartPolicy(2, new BackoffPolicy(50, 200, 2.0),
            new CrashLoopGuard(100, 60_000));

    @TempDir
    Path workDir;
    private CoreFixture fx;
    private BeehiveScheduler s;

    @BeforeEach
    void start() throws Exception {
        fx = new CoreFixture(LocalClusterConfig.builder().workDir(workDir)
                .agent(AgentSpec.defaults("host-a").withAttributes(Map.of("rack", "r1")))
                .agent(AgentSpec.defaults("host-b").withAttributes(Map.of("rack", "r1")))
                .agent(AgentSpec.defaults("host-c").withAttributes(Map.of("rack", "r2"))));
        s = fx.replica("a:1", CoreFixture.fastConfig().history(3, Duration.ofDays(1)).build());
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private static JobRecord job(String id, JobKind kind, int instances, String command, List<Constraint> constraints) {
        return new JobRecord(id, kind, CommandSpec.shell(command), Map.of("GREETING", "hello"),
                new ResourceSpec(0.1, 16, 0, 1), instances, constraints, QUICK, 0, null, 1, 0, 0);
    }

    private long count(String jobId, TaskState state) {
        return s.tasksOf(jobId).stream().filter(t -> t.state() == state).count();
    }

    @Test
    void aBatchJobRunsToCompletionOnceWithItsEnvironmentAndAPort() throws Exception {
        s.createJob(job("hello", JobKind.BATCH, 1, "echo $GREETING world $PORT0", List.of())).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> count("hello", TaskState.TASK_FINISHED) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> s.tasksOf("hello").size() == 1);
        TaskRecord t = s.tasksOf("hello").iterator().next();
        String stdout = Files.readString(fx.cluster.sandbox(s.frameworkId().orElseThrow(), t.taskId()).resolve("stdout"),
                StandardCharsets.UTF_8);
        assertThat(stdout).isEqualTo("hello world " + t.ports().get(0) + "\n");
    }

    @Test
    void aFailingBatchJobIsRetriedUpToItsLimitUnderNewTaskIds() throws Exception {
        s.createJob(job("fail", JobKind.BATCH, 1, "exit 3", List.of())).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> count("fail", TaskState.TASK_FAILED) == 3); // the first run and 2 retries
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> s.tasksOf("fail").size() == 3);
        assertThat(s.tasksOf("fail")).extracting(TaskRecord::attempt).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void aDaemonRunsOnEveryAgentButTheBlacklistedOne() throws Exception {
        String blacklisted = fx.cluster.agentIds().get(2);
        s.blacklistAgent(blacklisted, "disk failing").get(10, TimeUnit.SECONDS);
        s.createJob(job("ark", JobKind.DAEMON, 0, "sleep 300", List.of())).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "ark") == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> running(s, "ark") == 2);
        assertThat(runningTasks(s, "ark")).extracting(TaskRecord::agentId)
                .containsExactlyInAnyOrderElementsOf(fx.cluster.agentIds().subList(0, 2));

        s.unblacklistAgent(blacklisted).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "ark") == 3);
    }

    @Test
    void uniqueHostnameAndMaxPerRackLimitPlacement() throws Exception {
        s.createJob(job("uniq", JobKind.SERVICE, 4, "sleep 300",
                List.of(new Constraint("hostname", ConstraintOperator.UNIQUE, null)))).get(10, TimeUnit.SECONDS);
        s.createJob(job("rack", JobKind.SERVICE, 3, "sleep 300",
                List.of(new Constraint("rack", ConstraintOperator.MAX_PER, "1")))).get(10, TimeUnit.SECONDS);
        s.createJob(job("r2only", JobKind.SERVICE, 2, "sleep 300",
                List.of(new Constraint("rack", ConstraintOperator.EQUALS, "r2")))).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "uniq") == 3 && running(s, "rack") == 2 && running(s, "r2only") == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> running(s, "uniq") == 3 && running(s, "rack") == 2);
        assertThat(runningTasks(s, "uniq")).extracting(TaskRecord::hostname).doesNotHaveDuplicates();
        assertThat(runningTasks(s, "r2only")).extracting(TaskRecord::hostname).containsOnly("host-c");
    }

    @Test
    void aCrashLoopingServiceKeepsOnlyABoundedHistoryInZooKeeper() throws Exception {
        s.createJob(job("crash", JobKind.SERVICE, 1, "exit 1", List.of())).get(10, TimeUnit.SECONDS);
        StateStore zk = fx.inspector();
        await().atMost(WAIT).until(() -> s.metrics().tasksLaunched() >= 8);
        // history 3 per job, plus the live (or just-launched) task
        assertThat(s.tasksOf("crash").size()).isLessThanOrEqualTo(4);
        long inZk = 0;
        for (TaskRecord t : s.tasksOf("crash")) {
            inZk += zk.readTask(t.taskId()).get(5, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        assertThat(inZk).isLessThanOrEqualTo(4);
    }

    @Test
    void badCommandsAreRejectedWithAReasonAndChangeNothing() throws Exception {
        s.createJob(job("web", JobKind.SERVICE, 1, "sleep 300", List.of())).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> s.createJob(job("web", JobKind.SERVICE, 5, "sleep 1", List.of())).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CommandRejectedException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> s.scaleJob("nope", 2).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommandRejectedException.class).hasMessageContaining("no job nope");
        assertThatThrownBy(() -> s.scaleJob("web", -1).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommandRejectedException.class);
        assertThatThrownBy(() -> s.killTask("ghost").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommandRejectedException.class);
        assertThat(s.job("web").orElseThrow().instances()).isEqualTo(1);
        assertThat(fx.inspector().readJob("web").get(5, TimeUnit.SECONDS).orElseThrow().instances()).isEqualTo(1);
    }
}
