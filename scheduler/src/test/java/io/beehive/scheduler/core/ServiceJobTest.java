package io.beehive.scheduler.core;

import io.beehive.state.StateStore;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.TaskRecord;
import java.util.List;
import java.util.Map;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.UpgradeStrategy;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service job on one replica against real processes: goal kept, FrameworkID persisted, scale, kill, delete. */
class ServiceJobTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    ServiceJobTest() {
        super(2);
    }

    @Test
    void keepsNCopiesRunningAndPersistsTheFrameworkIdMesosGave() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        s.createJob(service("web", 3, "sleep 300")).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> running(s, "web") == 3);
        StateStore zk = fx.inspector();
        String stored = zk.readFrameworkId().get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(fx.masterFrameworkIds()).containsExactly(stored);
        assertThat(s.frameworkId()).contains(stored);
        // The records in ZooKeeper say RUNNING too, and Mesos runs exactly these three tasks.
        Set<String> ids = runningTasks(s, "web").stream().map(TaskRecord::taskId).collect(Collectors.toSet());
        for (String id : ids) {
            await().atMost(WAIT).until(() -> zk.readTask(id).get().orElseThrow().state() == TaskState.TASK_RUNNING);
        }
        assertThat(fx.liveMasterTasks()).extracting(CoreFixture.MasterTask::taskId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(runningTasks(s, "web")).extracting(TaskRecord::instance).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void scaleDownKillsTheHighestInstancesAndAKilledTaskIsReplacedUnderANewId() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        s.createJob(service("web", 3, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 3);

        s.scaleJob("web", 1).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 1 && fx.liveMasterTasks().size() == 1);
        TaskRecord survivor = runningTasks(s, "web").get(0);
        assertThat(survivor.instance()).isZero();

        s.killTask(survivor.taskId()).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 1
                && !runningTasks(s, "web").get(0).taskId().equals(survivor.taskId()));
        TaskRecord killed = s.tasksOf("web").stream().filter(t -> t.taskId().equals(survivor.taskId())).findFirst()
                .orElseThrow();
        assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.desiredState()).isEqualTo(DesiredState.KILLED);
        assertThat(runningTasks(s, "web").get(0).instance()).isZero();
    }

    @Test
    void restartAndUpdateReplaceEveryTaskUnderNewIds() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        s.createJob(service("web", 2, "sleep 300", 0, null, new UpgradeStrategy(1.0, 0.5, 0, 3, 600)))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 2);
        Set<String> first = runningTasks(s, "web").stream().map(TaskRecord::taskId).collect(Collectors.toSet());

        s.restartJob("web", false).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 2 && runningTasks(s, "web").stream()
                .noneMatch(t -> first.contains(t.taskId())) && s.job("web").orElseThrow().deployment() == null);
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().size() == 2);

        Set<String> second = runningTasks(s, "web").stream().map(TaskRecord::taskId).collect(Collectors.toSet());
        JobRecord changed = s.job("web").orElseThrow();
        s.updateJob(new JobRecord("web", JobKind.SERVICE, CommandSpec.shell("sleep 301"), Map.of(),
                changed.resources(), 3, List.of(), changed.restartPolicy(), changed.killGracePeriodMillis(),
                changed.goal(), changed.version(), changed.createdAtMillis(), changed.updatedAtMillis(), null,
                changed.upgradeStrategy(), changed.runVersion(), null, null, null), false).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 3 && fx.liveMasterTasks().size() == 3
                && runningTasks(s, "web").stream().noneMatch(t -> second.contains(t.taskId()))
                && s.job("web").orElseThrow().deployment() == null);
        JobRecord stored = fx.inspector().readJob("web").get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(stored.command().value()).isEqualTo("sleep 301");
        assertThat(stored.deploymentHistory()).extracting(d -> d.kind() + " " + d.result())
                .containsExactly("UPDATE SUCCEEDED", "RESTART SUCCEEDED");
        assertThat(runningTasks(s, "web")).allMatch(t -> t.runVersion() == stored.runVersion());
    }

    @Test
    void deletingAJobKillsItsTasksThenRemovesItFromZooKeeper() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        s.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 2);

        s.deleteJob("web").get(10, TimeUnit.SECONDS);
        StateStore zk = fx.inspector();
        await().atMost(WAIT).until(() -> zk.readJob("web").get().isEmpty());
        assertThat(fx.liveMasterTasks()).isEmpty();
        assertThat(s.jobs()).isEmpty();
        assertThat(s.tasks()).isEmpty();
    }
}
