package io.beehive.scheduler.core;

import io.beehive.scheduler.core.term.CommandRejectedException;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DeploymentResult;
import io.beehive.state.record.DeploymentSummary;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.HealthCheckType;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Deployments on the local cluster with real processes, watched from the Mesos master's side: a sampler reads the
 * master's {@code /master/state} every 100 ms and every sample must show at least the floor of ready instances and at
 * most the ceiling of live ones ({@link CapacitySampler}).
 */
class DeploymentTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Python's HTTP server on the task's port; the version is in the environment only, so both serve the same. */
    private static final String HTTP_SERVER = "exec python3 -m http.server $PORT0 --bind 127.0.0.1";
    /**
     * The good version's check is TCP: the kernel accepts the connection for a listening server even while the
     * machine is too busy to schedule it, so a good instance never fails its checks by starvation. With an HTTP check
     * a loaded CI machine (load 12) made the agent kill healthy instances of both versions by itself, which says
     * nothing about what a deployment takes away (HTTP checks have their own tests: HealthCheckTest, the agent's
     * conformance tests). The bad version below fails an HTTP check on an answer (404), not on a timeout. The grace
     * period is long because six Pythons starting at once at load 14 took more than 5 s to listen, and the agent
     * killed them over and over before the first check could pass; failures in the grace period do not count, and
     * the grace ends at the first success.
     */
    private static final HealthCheckSpec READY_CHECK = new HealthCheckSpec(HealthCheckType.TCP, null, 0, null, 0.5,
            0.5, 5, 3, 60);

    DeploymentTest() {
        super(2);
    }

    @Test
    void aNewVersionReplacesEveryInstanceWithoutLeavingTheFloorOrTheCeiling() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        JobRecord v1 = service("web", 6, HTTP_SERVER, 1, READY_CHECK, UpgradeStrategy.DEFAULT);
        s.createJob(v1).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> healthy(s, "web") == 6);
        Set<String> before = liveTaskIds(s, "web");

        try (CapacitySampler sampler = new CapacitySampler(fx, "web", 6, 7, null)) {
            JobRecord deploying = s.updateJob(withEnvironment(s.job("web").orElseThrow(), Map.of("VERSION", "2")),
                    false).get(10, TimeUnit.SECONDS);
            assertThat(deploying.deployment()).isNotNull();
            awaitDeploymentEnd(s, "web");
            sampler.assertHeld();
        }
        JobRecord done = s.job("web").orElseThrow();
        assertThat(done.deploymentHistory().get(0).result()).isEqualTo(DeploymentResult.SUCCEEDED);
        List<TaskRecord> live = liveTasks(s, "web");
        assertThat(live).hasSize(6).allMatch(t -> t.runVersion() == done.runVersion() && Boolean.TRUE.equals(
                t.healthy())).noneMatch(t -> before.contains(t.taskId()));
        assertThat(live).extracting(TaskRecord::instance).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(fx.inspector().readJob("web").get(5, TimeUnit.SECONDS).orElseThrow().environment())
                .containsEntry("VERSION", "2");
    }

    @Test
    void aVersionWhoseHealthCheckNeverPassesRollsBackByItself() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        s.createJob(service("web", 3, HTTP_SERVER, 1, READY_CHECK, new UpgradeStrategy(1.0, 0.4, 1, 2, 600)))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> healthy(s, "web") == 3);
        Set<String> before = liveTaskIds(s, "web");
        JobRecord v1 = s.job("web").orElseThrow();

        try (CapacitySampler sampler = new CapacitySampler(fx, "web", 3, 4, null)) {
            // The new version serves nothing under /health: its checks get 404, the executor kills it.
            JobRecord bad = new JobRecord("web", v1.kind(), v1.command(), v1.environment(), v1.resources(), 3,
                    v1.constraints(), v1.restartPolicy(), v1.killGracePeriodMillis(), v1.goal(), v1.version(),
                    v1.createdAtMillis(), v1.updatedAtMillis(), new HealthCheckSpec(HealthCheckType.HTTP, null, 0,
                    "/health", 0.5, 0.5, 2, 2, 1), v1.upgradeStrategy(), v1.runVersion(), null, null, null);
            s.updateJob(bad, false).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> s.job("web").orElseThrow().deploymentHistory().size() >= 2
                    && s.job("web").orElseThrow().deployment() == null);
            sampler.assertHeld();
        }
        JobRecord after = s.job("web").orElseThrow();
        assertThat(after.deploymentHistory()).extracting(d -> d.kind() + " " + d.result())
                .containsExactly("ROLLBACK SUCCEEDED", "UPDATE FAILED");
        assertThat(after.deploymentHistory().get(1).detail()).contains("2 new instances failed");
        assertThat(after.runVersion()).isEqualTo(v1.runVersion());
        assertThat(after.healthCheck()).isEqualTo(READY_CHECK);
        // The old instances were never touched: the same tasks, healthy.
        await().atMost(WAIT).until(() -> healthy(s, "web") == 3);
        assertThat(liveTaskIds(s, "web")).isEqualTo(before);
    }

    @Test
    void aNewLeaderResumesTheDeploymentWhereTheOldOneStood() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        // Without a health check an instance is ready after minReadySeconds: 2 s gives the hand-off time to happen.
        a.createJob(service("web", 4, "sleep 600", 0, null, new UpgradeStrategy(1.0, 0.25, 2, 3, 600)))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> CapacitySampler.readyOnMaster(fx, "web", Duration.ofSeconds(2)) == 4);
        Set<String> before = liveTaskIds(a, "web");

        try (CapacitySampler sampler = new CapacitySampler(fx, "web", 4, 5, Duration.ofSeconds(2))) {
            JobRecord v1 = a.job("web").orElseThrow();
            a.updateJob(withCommand(v1, "sleep 601"), false).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> a.job("web").orElseThrow().deployment().steps() >= 1);
            a.close(); // hands over: b must resume, not restart, the deployment
            await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);
            awaitDeploymentEnd(b, "web");
            sampler.assertHeld();
        }
        JobRecord done = b.job("web").orElseThrow();
        assertThat(done.deploymentHistory()).hasSize(1);
        DeploymentSummary summary = done.deploymentHistory().get(0);
        assertThat(summary.result()).isEqualTo(DeploymentResult.SUCCEEDED);
        assertThat(summary.steps()).as("steps of both leaders").isGreaterThanOrEqualTo(2);
        assertThat(liveTasks(b, "web")).hasSize(4).allMatch(t -> t.runVersion() == done.runVersion())
                .noneMatch(t -> before.contains(t.taskId()));
    }

    @Test
    void aSecondChangeIsRefusedUnlessForcedAndACancelledDeploymentLeavesBothVersionsRunning() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        // Ready after 60 s: the deployment cannot finish during this test.
        s.createJob(service("web", 2, "sleep 600", 0, null, new UpgradeStrategy(1.0, 0.5, 60, 3, 600)))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> runningTasks(s, "web").size() == 2);
        JobRecord v1 = s.job("web").orElseThrow();
        JobRecord v2 = s.updateJob(withCommand(v1, "sleep 601"), false).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> runningTasks(s, "web").size() == 3);

        assertThatThrownBy(() -> s.updateJob(withCommand(v2, "sleep 602"), false).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CommandRejectedException.class)
                .hasMessageContaining("in progress");
        JobRecord v3 = s.updateJob(withCommand(v2, "sleep 602"), true).get(10, TimeUnit.SECONDS);
        assertThat(v3.deploymentHistory().get(0).result()).isEqualTo(DeploymentResult.REPLACED);
        assertThat(v3.deployment().kind()).isEqualTo(DeploymentKind.UPDATE);
        // The forced deployment's new instance replaces the previous one's, never adds to the ceiling (3).
        await().atMost(WAIT).until(() -> runningTasks(s, "web").stream().anyMatch(t ->
                t.runVersion() == v3.runVersion()));

        JobRecord cancelled = s.cancelDeployment("web").get(10, TimeUnit.SECONDS);
        assertThat(cancelled.deployment()).isNull();
        assertThat(cancelled.deploymentHistory().get(0).result()).isEqualTo(DeploymentResult.CANCELLED);
        assertThat(liveTasks(s, "web")).extracting(TaskRecord::runVersion).contains(v1.runVersion(),
                v3.runVersion());
        assertThatThrownBy(() -> s.cancelDeployment("web").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommandRejectedException.class);

        // And the way back: a rollback goes to the definition before the last one.
        JobRecord back = s.rollbackJob("web").get(10, TimeUnit.SECONDS);
        assertThat(back.deployment().kind()).isEqualTo(DeploymentKind.ROLLBACK);
        assertThat(back.command().value()).isEqualTo("sleep 601");
    }

    private static void awaitDeploymentEnd(BeehiveScheduler s, String jobId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> s.job(jobId).map(j -> j.deployment() == null).orElse(false));
    }

    private static long healthy(BeehiveScheduler s, String jobId) {
        return runningTasks(s, jobId).stream().filter(t -> Boolean.TRUE.equals(t.healthy())).count();
    }

    private static List<TaskRecord> liveTasks(BeehiveScheduler s, String jobId) {
        return s.tasksOf(jobId).stream().filter(t -> !t.state().isTerminal() && t.state() != TaskState.TASK_UNKNOWN)
                .toList();
    }

    private static Set<String> liveTaskIds(BeehiveScheduler s, String jobId) {
        return liveTasks(s, jobId).stream().map(TaskRecord::taskId).collect(Collectors.toSet());
    }

    private static JobRecord withCommand(JobRecord j, String command) {
        return new JobRecord(j.id(), j.kind(), CommandSpec.shell(command), j.environment(), j.resources(),
                j.instances(), j.constraints(), j.restartPolicy(), j.killGracePeriodMillis(), j.goal(), j.version(),
                j.createdAtMillis(), j.updatedAtMillis(), j.healthCheck(), j.upgradeStrategy(), j.runVersion(),
                j.previousRun(), j.deployment(), j.deploymentHistory());
    }

    private static JobRecord withEnvironment(JobRecord j, Map<String, String> environment) {
        return new JobRecord(j.id(), j.kind(), j.command(), environment, j.resources(), j.instances(),
                j.constraints(), j.restartPolicy(), j.killGracePeriodMillis(), j.goal(), j.version(),
                j.createdAtMillis(), j.updatedAtMillis(), j.healthCheck(), j.upgradeStrategy(), j.runVersion(),
                j.previousRun(), j.deployment(), j.deploymentHistory());
    }
}
