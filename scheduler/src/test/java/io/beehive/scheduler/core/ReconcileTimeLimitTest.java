package io.beehive.scheduler.core;

import io.beehive.local.LocalClusterConfig;
import io.beehive.state.StateStore;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.runningTasks;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconciliation is bounded in time, end to end: after a master fail-over an agent that has not re-registered is
 * "recovered" to the new master, which stays silent about that agent's tasks (spec §3.5). A new leader still takes
 * office once the configured limit has passed, and launches new work.
 */
class ReconcileTimeLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration LIMIT = Duration.ofSeconds(4);

    @TempDir
    Path workDir;
    private CoreFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new CoreFixture(LocalClusterConfig.builder().workDir(workDir).agents(2)
                .agentReregisterTimeout(Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aLeaderWhoseReconciliationGetsNoAnswerActsOnceTheLimitHasPassed() throws Exception {
        CoreConfig config = CoreFixture.fastConfig().reconcileMaxDuration(LIMIT).build();
        BeehiveScheduler a = fx.replica("a:1", config);
        a.start();
        await().atMost(WAIT).until(() -> a.phase() == LifecyclePhase.ACTIVE);
        a.createJob(service("web", 2, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 2);
        String silentAgent = runningTasks(a, "web").get(0).agentId();
        List<String> silentTasks = runningTasks(a, "web").stream().filter(t -> t.agentId().equals(silentAgent))
                .map(TaskRecord::taskId).toList();
        // The leader's memory takes an update before ZooKeeper does (ack-after-persist only promises the reverse):
        // what b will load is what is durable, so wait for RUNNING there before a goes.
        StateStore zk = fx.inspector();
        for (String id : silentTasks) {
            await().atMost(WAIT).until(() -> zk.readTask(id).get(5, TimeUnit.SECONDS)
                    .map(t -> t.state() == TaskState.TASK_RUNNING).orElse(false));
        }

        a.close();
        fx.cluster.disconnectAgent(silentAgent); // it will not re-register with the next master
        fx.cluster.failoverMaster();
        assertThat(fx.masterState().get("recovered_slaves")).extracting(n -> n.get("id").asText())
                .contains(silentAgent);

        BeehiveScheduler b = fx.replica("b:1", config);
        long started = System.nanoTime();
        b.start();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // It waited for answers that never came, up to the limit, and no longer.
        assertThat(b.metrics().lastReconciliationMillis()).isGreaterThanOrEqualTo(LIMIT.toMillis());
        assertThat(tookMillis).isGreaterThanOrEqualTo(LIMIT.toMillis()).isLessThan(LIMIT.toMillis() + 20_000);
        // Nothing was learned about the silent agent's tasks: they are still recorded as running.
        for (String id : silentTasks) {
            assertThat(b.tasksOf("web").stream().filter(t -> t.taskId().equals(id)).findFirst().orElseThrow().state())
                    .isEqualTo(TaskState.TASK_RUNNING);
        }

        b.createJob(service("fresh", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(b, "fresh") == 1);
        assertThat(runningTasks(b, "fresh").get(0).agentId()).isNotEqualTo(silentAgent);
    }
}
