package io.beehive.scheduler.core;

import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.scheduler.core.term.TaskStates;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fail-over between two replicas in one JVM: two LeaderElections and two StateStores on their own Curator clients,
 * one local Mesos cluster running real processes.
 */
class FailoverTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    FailoverTest() {
        super(2);
    }

    private BeehiveScheduler[] twoReplicasWithALeader() {
        BeehiveScheduler a = leadingReplica("a:1");
        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.STANDBY && b.leader().isPresent());
        return new BeehiveScheduler[] {a, b};
    }

    private static Set<String> ids(List<TaskRecord> tasks) {
        return tasks.stream().map(TaskRecord::taskId).collect(Collectors.toSet());
    }

    private Set<String> liveMasterTaskIds() throws Exception {
        return fx.liveMasterTasks().stream().map(CoreFixture.MasterTask::taskId).collect(Collectors.toSet());
    }

    @Test
    void theNewLeaderUsesTheSameFrameworkIdAndAdoptsTheRunningTasks() throws Exception {
        BeehiveScheduler[] r = twoReplicasWithALeader();
        BeehiveScheduler a = r[0];
        BeehiveScheduler b = r[1];
        a.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 2);
        Set<String> before = ids(runningTasks(a, "web"));
        String frameworkId = a.frameworkId().orElseThrow();

        assertThat(a.abdicate()).isTrue();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);

        assertThat(b.frameworkId()).contains(frameworkId);
        assertThat(fx.masterFrameworkIds()).containsExactly(frameworkId);
        assertThat(b.lastFailoverDuration()).isPresent();
        // Same tasks, still running: nothing was relaunched (a relaunch always gets a new task id).
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .until(() -> ids(runningTasks(b, "web")).equals(before) && liveMasterTaskIds().equals(before));
        assertThat(b.metrics().tasksLaunched()).isZero();
    }

    @Test
    void aTaskLaunchedJustBeforeTheFailoverIsNeitherLostNorDuplicated() throws Exception {
        BeehiveScheduler[] r = twoReplicasWithALeader();
        BeehiveScheduler a = r[0];
        BeehiveScheduler b = r[1];
        a.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 2);

        a.scaleJob("web", 3).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> a.tasksOf("web").size() == 3); // the third record is written
        a.abdicate();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);

        await().atMost(WAIT).until(() -> running(b, "web") == 3 && fx.liveMasterTasks().size() == 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .until(() -> fx.liveMasterTasks().size() == 3 && liveMasterTaskIds().equals(ids(runningTasks(b, "web"))));
        assertThat(runningTasks(b, "web")).extracting(TaskRecord::instance).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void anUpdateThatArrivedButWasNotPersistedIsRedeliveredToTheNewLeader() throws Exception {
        BeehiveScheduler[] r = twoReplicasWithALeader();
        BeehiveScheduler a = r[0];
        BeehiveScheduler b = r[1];
        Path stop = workDir.resolve("stop");
        a.createJob(service("web", 1, "while [ ! -e " + stop + " ]; do sleep 0.1; done")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 1);
        TaskRecord task = runningTasks(a, "web").get(0);
        await().atMost(WAIT).until(() -> zk.readTask(task.taskId()).get().orElseThrow().state() == TaskState.TASK_RUNNING);

        var operator = fx.newClient();
        String path = zk.layout().task(task.taskId());
        operator.setACL().withACL(List.of(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.ADMIN,
                ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath(path);
        Files.createFile(stop);
        await().atMost(WAIT).until(() -> a.metrics().updatesUnpersisted() >= 1);
        a.abdicate();
        operator.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(path);
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);

        // The new leader's reconciliation may record FINISHED first (an answer without a uuid); the agent's own
        // update, redelivered because nobody acknowledged it, must then land too (seen at load 12: the reconciliation
        // answer came first, so waiting for the state alone was not enough).
        await().atMost(WAIT).until(() -> {
            TaskRecord stored = zk.readTask(task.taskId()).get().orElseThrow();
            return stored.state() == TaskState.TASK_FINISHED && stored.lastStatus().uuid() != null;
        });
    }

    @Test
    void reconciliationFindsTasksThatDiedDuringTheFailoverAndReplacesThem() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        a.createJob(service("web", 4, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 4);
        List<TaskRecord> before = runningTasks(a, "web");
        String doomedAgent = before.get(0).agentId();
        Set<String> doomed = before.stream().filter(t -> t.agentId().equals(doomedAgent)).map(TaskRecord::taskId)
                .collect(Collectors.toSet());

        a.close(); // no leader now: nobody hears what happens next
        fx.cluster.removeAgent(doomedAgent);
        BeehiveScheduler b = leadingReplica("b:1");

        await().atMost(WAIT).until(() -> running(b, "web") == 4);
        for (String id : doomed) {
            TaskRecord old = b.tasksOf("web").stream().filter(t -> t.taskId().equals(id)).findFirst().orElseThrow();
            assertThat(TaskStates.isGone(old.state())).as("%s is %s", id, old.state()).isTrue();
        }
        assertThat(runningTasks(b, "web")).allSatisfy(t -> assertThat(t.agentId()).isNotEqualTo(doomedAgent));
        assertThat(runningTasks(b, "web")).extracting(TaskRecord::instance).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    /**
     * With a FrameworkID stored, the new leader subscribes while it loads. When the load fails, that subscription
     * goes with it and whatever it delivered meanwhile is dropped: nothing runs against state that is not there,
     * the retry subscribes afresh under the same FrameworkID, and no running task is touched. The load is made long
     * (20,000 finished records to read) and fails at its end (one record ZooKeeper refuses to read), so SUBSCRIBED
     * has arrived and waits on the term's loop when the load fails.
     */
    @Test
    void aLoadThatFailsWhileSubscribedIsRetriedUnderTheSameFrameworkIdAndLosesNothing() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        a.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 2);
        Set<String> before = ids(runningTasks(a, "web"));
        String frameworkId = a.frameworkId().orElseThrow();
        a.close();

        var operator = fx.newClient();
        io.beehive.election.Fence operatorFence = fx.fence(operator, "operator", 1);
        long now = System.currentTimeMillis();
        List<TaskRecord> history = java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> new TaskRecord("web.0.old-" + i, "web", 0, "agent", "host", TaskState.TASK_FINISHED,
                        null, now, now, null, 0, 0, null))
                .toList();
        zk.saveTasks(operatorFence, history).get(60, TimeUnit.SECONDS);
        String unreadable = zk.layout().task(history.get(history.size() - 1).taskId());
        operator.setACL().withACL(List.of(new ACL(ZooDefs.Perms.ALL & ~ZooDefs.Perms.READ,
                ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath(unreadable);
        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        await().atMost(WAIT).until(() -> b.metrics().loadFailures.getCount() >= 2);
        assertThat(b.phase()).isEqualTo(LifecyclePhase.LOADING);
        // Whatever the failed attempts' subscriptions delivered before they were stopped never reached the term.
        assertThat(b.metrics().eventFailures.getCount()).isZero();
        assertThat(b.metrics().offersReceived.getCount()).isZero();
        assertThat(fx.masterFrameworkIds()).containsExactly(frameworkId);

        operator.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(unreadable);
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);
        assertThat(b.frameworkId()).contains(frameworkId);
        assertThat(fx.masterFrameworkIds()).containsExactly(frameworkId);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .until(() -> ids(runningTasks(b, "web")).equals(before) && liveMasterTaskIds().equals(before));
        assertThat(b.metrics().tasksLaunched()).isZero();
        assertThat(b.metrics().eventFailures.getCount()).isZero();
    }
}
