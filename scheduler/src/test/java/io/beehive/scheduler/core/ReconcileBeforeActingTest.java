package io.beehive.scheduler.core;

import io.beehive.election.Fence;
import io.beehive.scheduler.core.term.TaskStates;
import io.beehive.state.StateStore;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Invariant 5: after subscribing the leader asks Mesos about every task it knows before it trusts its records. */
class ReconcileBeforeActingTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    ReconcileBeforeActingTest() {
        super(2);
    }

    @Test
    void aRecordedTaskMesosNeverHeardOfIsFoundByReconciliationAndReplaced() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        a.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 1);
        String agent = runningTasks(a, "web").get(0).agentId();
        a.close();

        // While nobody leads, ZooKeeper gains a RUNNING record of instance 1 that Mesos never ran.
        StateStore zk = fx.inspector();
        Fence fence = fx.fence(fx.newClient(), "operator", 1);
        JobRecord job = zk.readJob("web").get(5, TimeUnit.SECONDS).orElseThrow();
        JobRecord two = new JobRecord(job.id(), job.kind(), job.command(), job.environment(), job.resources(), 2,
                job.constraints(), job.restartPolicy(), job.killGracePeriodMillis(), job.goal(), job.version() + 1,
                job.createdAtMillis(), job.updatedAtMillis());
        long now = System.currentTimeMillis();
        TaskRecord ghost = new TaskRecord("web.1.0.ghost", "web", 1, agent, "agent", TaskState.TASK_RUNNING, null,
                now, now, null, 0, 0, null);
        zk.write(fence, zk.batch().putJob(two).putTask(ghost)).get(5, TimeUnit.SECONDS);

        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        await().atMost(WAIT).until(() -> running(b, "web") == 2 && fx.liveMasterTasks().size() == 2);
        TaskRecord settled = b.tasksOf("web").stream().filter(t -> t.taskId().equals(ghost.taskId())).findFirst()
                .orElseThrow();
        assertThat(TaskStates.isGone(settled.state())).as("ghost is %s", settled.state()).isTrue();
        assertThat(runningTasks(b, "web")).extracting(TaskRecord::instance).containsExactlyInAnyOrder(0, 1);
        assertThat(runningTasks(b, "web")).extracting(TaskRecord::taskId).doesNotContain(ghost.taskId());
        assertThat(b.lastReconciliation()).isPresent();
    }

    @Test
    void aRecordOnAnAgentMesosDoesNotKnowIsSettledAndDoesNotBlockLaunching() throws Exception {
        // A task on an agent id Mesos does not know: settled by reconciliation (or by its time bound).
        BeehiveScheduler a = leadingReplica("a:1");
        a.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 1);
        a.close();

        StateStore zk = fx.inspector();
        Fence fence = fx.fence(fx.newClient(), "operator", 1);
        long now = System.currentTimeMillis();
        zk.saveTasks(fence, List.of(new TaskRecord("web.5.0.stray", "web", 5, "no-such-agent", "nowhere",
                TaskState.TASK_RUNNING, null, now, now, null, 0, 0, null))).get(5, TimeUnit.SECONDS);

        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().reconcileMaxDuration(Duration.ofSeconds(3))
                .build());
        b.start();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);
        assertThat(b.lastFailoverDuration().orElseThrow()).isLessThan(Duration.ofSeconds(20));
        b.scaleJob("web", 2).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(b, "web") == 2);
        TaskRecord stray = b.tasksOf("web").stream().filter(t -> t.taskId().equals("web.5.0.stray")).findFirst()
                .orElseThrow();
        assertThat(TaskStates.isGone(stray.state()) || stray.desiredState() == io.beehive.state.record.DesiredState.KILLED)
                .as("stray is %s", stray).isTrue();
    }
}
