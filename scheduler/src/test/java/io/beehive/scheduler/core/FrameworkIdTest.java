package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.beehive.election.DepositionReason;
import io.beehive.election.Fence;
import io.beehive.scheduler.mesos.ConnectionState;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.sdk.Scheduler;
import io.beehive.scheduler.sdk.SchedulerDriver;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.curator.framework.CuratorFramework;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Invariant 2 (FrameworkID first, never a new id over existing tasks) and the fatal Mesos answers. */
class FrameworkIdTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    FrameworkIdTest() {
        super(1);
    }

    private CuratorFramework operator;

    @BeforeEach
    void operatorClient() {
        operator = fx.newClient();
    }

    @Test
    void subscribesWithAWeekOfFailoverTimeoutCheckpointingAndPartitionAwareness() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        JsonNode fw = fx.masterState().get("frameworks").get(0);
        assertThat(fw.get("failover_timeout").asDouble()).isEqualTo(7 * 24 * 3600.0);
        assertThat(fw.get("checkpoint").asBoolean()).isTrue();
        List<String> caps = new ArrayList<>();
        fw.get("capabilities").forEach(c -> caps.add(c.asText()));
        assertThat(caps).contains("PARTITION_AWARE", "TASK_KILLING_STATE");
        assertThat(zk.readFrameworkId().get(5, TimeUnit.SECONDS)).contains(fw.get("id").asText());
    }

    @Test
    void aZeroFailoverTimeoutIsRefused() {
        assertThatThrownBy(() -> CoreConfig.builder().failoverTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failoverTimeout");
    }

    @Test
    void refusesToRegisterANewFrameworkWhileTaskRecordsExist() throws Exception {
        Fence operatorFence = fx.fence(operator, "operator", 1);
        zk.loadAll(operatorFence); // creates the layout
        long now = System.currentTimeMillis();
        zk.saveTasks(operatorFence, List.of(new TaskRecord("web.0.0.x", "web", 0, "agent", "host",
                TaskState.TASK_RUNNING, null, now, now, null, 0, 0, null))).get(5, TimeUnit.SECONDS);

        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().build());
        s.start();
        await().atMost(WAIT).until(() -> !fx.fatalErrors.isEmpty());
        assertThat(fx.fatalErrors.get(0).exitCode()).isEqualTo(FatalError.EXIT_NO_FRAMEWORK_ID_WITH_TASKS);
        assertThat(fx.fatalErrors.get(0).message()).contains("1 task records but no FrameworkID");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> fx.masterFrameworkIds().isEmpty());
        assertThat(zk.readFrameworkId().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void anotherInstanceTakingTheFrameworkStopsTheTermAndARemovedFrameworkIsFatal() throws Exception {
        SchedulerLifecycle lifecycle = fx.lifecycle(CoreFixture.fastConfig().build(), new MetricRegistry());
        List<String> stepDowns = new ArrayList<>();
        lifecycle.onStepDown(() -> stepDowns.add("step down"));
        lifecycle.elected(fx.fence(operator, "term-1", 1));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        String id = lifecycle.term().orElseThrow().frameworkId().orElseThrow();

        // Someone else subscribes with our FrameworkID, then tears the framework down.
        SchedulerDriver intruder = new SchedulerDriver(new Scheduler() { }, MesosClientConfig.builder()
                .masters(fx.mesos().masters())
                .frameworkId(FrameworkID.newBuilder().setValue(id).build())
                .frameworkInfo(FrameworkInfo.newBuilder().setUser("intruder").setName("intruder")
                        .setId(FrameworkID.newBuilder().setValue(id)).setFailoverTimeout(60).build())
                .build());
        intruder.start();
        await().atMost(WAIT).until(() -> intruder.state() == ConnectionState.SUBSCRIBED);
        await().atMost(WAIT).until(() -> stepDowns.size() == 1);
        intruder.teardown().get(10, TimeUnit.SECONDS);

        lifecycle.deposed(DepositionReason.ABDICATED);
        lifecycle.elected(fx.fence(operator, "term-2", 2));
        await().atMost(WAIT).until(() -> !fx.fatalErrors.isEmpty());
        assertThat(fx.fatalErrors.get(0).exitCode()).isEqualTo(FatalError.EXIT_FRAMEWORK_REMOVED);
        assertThat(fx.fatalErrors.get(0).message()).contains(id).contains("removed");
    }
}
