package io.beehive.scheduler.core;

import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hot standbys: every replica's state mirror against the leader's own book, and a new leader that starts from its
 * mirror only once that has caught up with the previous term's last write.
 */
class StandbyMirrorTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    /**
     * 10,000 launches (the TIMER executor: 10,000 processes would not fit on a test machine), the leader abdicating
     * twice in the middle; then each standby's copy, the two deposed leaders' included, equals the last leader's
     * book record by record.
     */
    @Test
    void everyStandbysCopyEqualsTheLeadersAfterALaunchStormWithLeadershipChanges() throws Exception {
        LocalClusterConfig.Builder cluster = LocalClusterConfig.builder().workDir(workDir)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).timerExecutorStepDelay(Duration.ofMillis(5));
        for (int i = 0; i < 4; i++) {
            cluster.agent(AgentSpec.defaults("agent-" + i).withResources(100_000, 100_000_000, 0));
        }
        try (CoreFixture fx = new CoreFixture(cluster, true)) {
            CoreConfig config = CoreFixture.fastConfig().reconcileMaxDuration(Duration.ofMinutes(2))
                    .stagingTimeout(Duration.ofMinutes(2)).housekeepingInterval(Duration.ofSeconds(1)).build();
            List<BeehiveScheduler> replicas = new ArrayList<>();
            for (String name : List.of("a:1", "b:1", "c:1")) {
                BeehiveScheduler replica = fx.replica(name, config);
                replica.start();
                replicas.add(replica);
            }
            BeehiveScheduler first = awaitActiveLeader(replicas, null);
            // Launches in all three terms: 4,000 in the first, scaled to 10,000 in the second; each leader goes
            // while its launches and updates are still arriving.
            first.createJob(tiny("storm", 4_000)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> running(first, "storm") >= 2_000);
            assertThat(first.abdicate()).isTrue();
            BeehiveScheduler second = awaitActiveLeader(replicas, first);
            second.scaleJob("storm", 10_000).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> running(second, "storm") >= 7_000);
            assertThat(second.abdicate()).isTrue();
            BeehiveScheduler last = awaitActiveLeader(replicas, second);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> running(last, "storm") == 10_000);

            for (BeehiveScheduler standby : replicas) {
                if (standby == last) {
                    continue;
                }
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(differences(last.tasks(), standby.mirror().tasks())).isEmpty();
                    assertThat(standby.mirror().jobs()).containsExactlyInAnyOrderElementsOf(last.jobs());
                    assertThat(standby.mirror().frameworkId()).isEqualTo(last.frameworkId());
                });
                assertThat(standby.mirror().tasks()).hasSize(10_000);
                assertThat(standby.mirror().trusted()).isTrue();
            }
            assertThat(last.mirror().fallbacks() + second.mirror().fallbacks())
                    .as("terms that read every record instead of catching up").isZero();
        }
    }

    /**
     * The standby's mirror holds its changes while the leader adds a job and its task, then the leader abdicates: the
     * new term must wait for the mirror to apply them. A term that acted on its stale copy would not know the job
     * (and would see the task as unknown to it).
     */
    @Test
    void aNewLeaderWhoseCopyLagsCatchesUpBeforeActing() throws Exception {
        try (CoreFixture fx = new CoreFixture(LocalClusterConfig.builder().workDir(workDir).agents(2))) {
            BeehiveScheduler a = fx.replica("a:1", CoreFixture.fastConfig().build());
            a.start();
            await().atMost(WAIT).until(() -> a.phase() == LifecyclePhase.ACTIVE);
            BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
            b.start();
            await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.STANDBY && b.mirror().loaded());

            Set<String> lateTasks;
            try (AutoCloseable lagging = b.mirror().holdChanges()) {
                a.createJob(service("late", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> running(a, "late") == 1);
                lateTasks = ids(runningTasks(a, "late"));
                assertThat(b.mirror().job("late")).as("b's copy lags").isEmpty();

                assertThat(a.abdicate()).isTrue();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> b.phase() == LifecyclePhase.LOADING);
            }
            await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);

            assertThat(b.job("late")).as("the job written by the previous term").isPresent();
            await().atMost(WAIT).until(() -> running(b, "late") == 1);
            assertThat(ids(runningTasks(b, "late"))).as("the same task, adopted, not replaced").isEqualTo(lateTasks);
            assertThat(b.metrics().tasksLaunched()).isZero();
            assertThat(b.mirror().fallbacks()).as("caught up, not read again in full").isZero();
        }
    }

    private static BeehiveScheduler awaitActiveLeader(List<BeehiveScheduler> replicas, BeehiveScheduler not) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> replicas.stream()
                .filter(r -> r != not && r.phase() == LifecyclePhase.ACTIVE).findFirst().orElse(null), Objects::nonNull);
    }

    /** Task ids whose record differs between the two, or is in only one; at most ten, for a readable failure. */
    private static List<String> differences(Collection<TaskRecord> leader, Collection<TaskRecord> mirror) {
        Map<String, TaskRecord> expected = leader.stream().collect(Collectors.toMap(TaskRecord::taskId, t -> t));
        Map<String, TaskRecord> actual = mirror.stream().collect(Collectors.toMap(TaskRecord::taskId, t -> t));
        List<String> different = new ArrayList<>();
        for (String id : expected.keySet()) {
            if (!expected.get(id).equals(actual.get(id))) {
                different.add(id + " (leader " + expected.get(id).state() + ", mirror "
                        + (actual.containsKey(id) ? actual.get(id).state() : "none") + ")");
            }
        }
        actual.keySet().stream().filter(id -> !expected.containsKey(id)).forEach(id -> different.add(id + " (only in the mirror)"));
        return different.subList(0, Math.min(10, different.size()));
    }

    private static Set<String> ids(List<TaskRecord> tasks) {
        return tasks.stream().map(TaskRecord::taskId).collect(Collectors.toSet());
    }

    private static JobRecord tiny(String id, int instances) {
        return new JobRecord(id, JobKind.SERVICE, CommandSpec.shell("sleep 1000"), Map.of(),
                new ResourceSpec(0.01, 1, 0, 0), instances, List.of(), RestartPolicy.DEFAULT, 0, null, 1, 0, 0);
    }
}
