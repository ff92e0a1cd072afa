package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.DepositionReason;
import io.beehive.election.Fence;
import io.beehive.state.NotLeaderException;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** DESIGN.md invariants 1, 3, 4 and 6, each by a test that fails if the invariant is broken. */
class InvariantsTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<ACL> READ_ONLY = List.of(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.ADMIN,
            ZooDefs.Ids.ANYONE_ID_UNSAFE));

    InvariantsTest() {
        super(2);
    }

    private CuratorFramework operator;

    @BeforeEach
    void operatorClient() {
        operator = fx.newClient();
    }

    private void setAcl(String path, List<ACL> acl) throws Exception {
        operator.setACL().withACL(acl).forPath(path);
    }

    /** Invariant 3: when the task records cannot be written, no LAUNCH reaches Mesos; once they can, tasks start. */
    @Test
    void noLaunchReachesMesosWhenTheTaskRecordsCannotBeWritten() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().build(), metrics);
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        // ZooKeeper refuses new task records (no CREATE on any bucket); jobs stay writable.
        for (int b = 0; b < 256; b++) {
            setAcl(zk.layout().bucket(b), READ_ONLY);
        }
        s.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> s.metrics().launchesAbandoned() >= 2);
        assertThat(fx.masterTasks()).isEmpty();
        assertThat(s.metrics().tasksLaunched()).isZero();

        for (int b = 0; b < 256; b++) {
            setAcl(zk.layout().bucket(b), ZooDefs.Ids.OPEN_ACL_UNSAFE);
        }
        // The unwritten STAGING tasks are probed after the staging timeout, found unknown to Mesos, and replaced.
        await().atMost(WAIT).until(() -> running(s, "web") == 2);
        for (TaskRecord t : runningTasks(s, "web")) {
            assertThat(zk.readTask(t.taskId()).get(5, TimeUnit.SECONDS)).isPresent();
        }
        assertThat(fx.liveMasterTasks()).hasSize(2);
    }

    /** Invariant 4: an update whose write fails is not acknowledged, so Mesos redelivers it and it lands later. */
    @Test
    void anUpdateThatCouldNotBePersistedIsRedeliveredAndApplied() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().build(), metrics);
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        Path stop = workDir.resolve("stop");
        s.createJob(service("web", 1, "while [ ! -e " + stop + " ]; do sleep 0.1; done")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(s, "web") == 1);
        TaskRecord task = runningTasks(s, "web").get(0);
        await().atMost(WAIT).until(() -> zk.readTask(task.taskId()).get().orElseThrow().state() == TaskState.TASK_RUNNING);

        setAcl(zk.layout().task(task.taskId()), READ_ONLY);
        Files.createFile(stop);
        await().atMost(WAIT).until(() -> s.metrics().updatesUnpersisted() >= 2); // first delivery and a redelivery
        assertThat(zk.readTask(task.taskId()).get(5, TimeUnit.SECONDS).orElseThrow().state())
                .isEqualTo(TaskState.TASK_RUNNING);

        setAcl(zk.layout().task(task.taskId()), ZooDefs.Ids.OPEN_ACL_UNSAFE);
        await().atMost(WAIT).until(() -> zk.readTask(task.taskId()).get().orElseThrow().state()
                == TaskState.TASK_FINISHED);
        TaskRecord landed = zk.readTask(task.taskId()).get(5, TimeUnit.SECONDS).orElseThrow();
        // A uuid means it came from a real (acknowledgeable) update, not from a reconciliation answer.
        assertThat(landed.lastStatus().uuid()).isNotNull();
    }

    /** Invariant 1: once the fence is gone, writes fail and the term sends Mesos nothing more (no teardown either). */
    @Test
    void aTermWhoseFenceIsGoneCannotWriteAndStopsTalkingToMesos() throws Exception {
        SchedulerLifecycle lifecycle = fx.lifecycle(CoreFixture.fastConfig().build(), new MetricRegistry());
        Fence fence = fx.fence(operator, "term-1", 1);
        lifecycle.elected(fence);
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        var term = lifecycle.term().orElseThrow();
        term.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().size() == 1);

        operator.delete().forPath(fence.latchPath());
        // Refused either by its own fenced write (NotLeaderException) or, when another fenced write of the term (the
        // housekeeping's, the term status) met the missing fence first and ended the term, as NotLeadingException
        // (CI saw both). Either way nothing is written, which the next assertion checks.
        assertThat(catchThrowable(() -> term.createJob(service("other", 3, "sleep 300")).get(10, TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfAny(NotLeaderException.class, io.beehive.scheduler.core.term.NotLeadingException.class);

        assertThat(zk.readJob("other").get(5, TimeUnit.SECONDS)).isEmpty();
        // The subscription is closed without TEARDOWN: the framework stays (disconnected) and its task keeps running.
        await().atMost(WAIT).until(() -> !fx.masterState().get("frameworks").get(0).get("connected").asBoolean());
        assertThat(fx.liveMasterTasks()).hasSize(1);
        assertThatThrownBy(() -> term.scaleJob("web", 3).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(io.beehive.scheduler.core.term.NotLeadingException.class);
    }

    /** Invariant 6: SUSPENDED stops launching at once; resumed reconciles and carries on. */
    @Test
    void nothingIsLaunchedWhileSuspended() throws Exception {
        SchedulerLifecycle lifecycle = fx.lifecycle(CoreFixture.fastConfig().build(), new MetricRegistry());
        lifecycle.elected(fx.fence(operator, "term-1", 1));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        var term = lifecycle.term().orElseThrow();

        lifecycle.suspended();
        assertThat(lifecycle.phase()).isEqualTo(LifecyclePhase.SUSPENDED);
        term.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> fx.masterTasks().isEmpty());

        lifecycle.resumed();
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().size() == 2);
        assertThat(lifecycle.phase()).isEqualTo(LifecyclePhase.ACTIVE);
    }

    /** Deposed: no teardown, in-memory state dropped; the next term adopts the running tasks without relaunching. */
    @Test
    void aDeposedTermLeavesTasksRunningAndTheNextTermAdoptsThem() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        SchedulerLifecycle lifecycle = fx.lifecycle(CoreFixture.fastConfig().build(), metrics);
        lifecycle.elected(fx.fence(operator, "term-1", 1));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        lifecycle.term().orElseThrow().createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().size() == 2
                && fx.liveMasterTasks().stream().allMatch(t -> t.state().equals("TASK_RUNNING")));
        List<String> before = fx.liveMasterTasks().stream().map(CoreFixture.MasterTask::taskId).sorted().toList();
        String frameworkId = zk.readFrameworkId().get(5, TimeUnit.SECONDS).orElseThrow();

        lifecycle.deposed(DepositionReason.LATCH_LOST);
        assertThat(lifecycle.phase()).isEqualTo(LifecyclePhase.STANDBY);
        assertThat(lifecycle.term()).isEmpty();
        assertThat(fx.masterFrameworkIds()).containsExactly(frameworkId);

        long launched = lifecycle.metrics().tasksLaunched();
        lifecycle.elected(fx.fence(operator, "term-2", 2));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        assertThat(lifecycle.term().orElseThrow().frameworkId()).contains(frameworkId);
        await().atMost(WAIT).until(() -> fx.masterState().get("frameworks").get(0).get("connected").asBoolean());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                fx.liveMasterTasks().stream().map(CoreFixture.MasterTask::taskId).sorted().toList().equals(before));
        assertThat(lifecycle.metrics().tasksLaunched()).isEqualTo(launched);
        assertThat(fx.masterFrameworkIds()).containsExactly(frameworkId);
    }
}
