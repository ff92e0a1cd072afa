package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.DepositionReason;
import io.beehive.scheduler.mesos.ConnectionState;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.sdk.Scheduler;
import io.beehive.scheduler.sdk.SchedulerDriver;
import org.apache.curator.framework.CuratorFramework;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A task running under Beehive's FrameworkID that Beehive has no record of is killed after reconciliation. */
class UnknownTaskTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    UnknownTaskTest() {
        super(1);
    }

    @Test
    void aTaskMesosRunsButBeehiveNeverRecordedIsKilled() throws Exception {
        CuratorFramework operator = fx.newClient();
        SchedulerLifecycle lifecycle = fx.lifecycle(CoreFixture.fastConfig().build(), new MetricRegistry());
        lifecycle.elected(fx.fence(operator, "term-1", 1));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        String id = lifecycle.term().orElseThrow().frameworkId().orElseThrow();

        // A rogue instance takes the framework over and launches a task Beehive never wrote down, then goes away.
        AtomicBoolean launched = new AtomicBoolean();
        SchedulerDriver rogue = new SchedulerDriver(new Scheduler() {
            @Override
            public void resourceOffers(SchedulerDriver d, List<Offer> offers) {
                if (launched.compareAndSet(false, true)) {
                    Offer o = offers.get(0);
                    d.launchTasks(o.getId(), List.of(TaskInfo.newBuilder().setName("rogue")
                            .setTaskId(TaskID.newBuilder().setValue("rogue-1")).setAgentId(o.getAgentId())
                            .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 16))
                            .setCommand(CommandInfo.newBuilder().setValue("sleep 300")).build()));
                }
            }
        }, MesosClientConfig.builder().masters(fx.mesos().masters())
                .frameworkId(FrameworkID.newBuilder().setValue(id).build())
                .frameworkInfo(FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("rogue")
                        .setId(FrameworkID.newBuilder().setValue(id)).setFailoverTimeout(3600).build())
                .build());
        rogue.start();
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().stream().anyMatch(t -> t.taskId().equals("rogue-1")
                && t.state().equals("TASK_RUNNING")));
        rogue.stop();
        await().atMost(WAIT).until(() -> rogue.state() == ConnectionState.STOPPED);

        lifecycle.deposed(DepositionReason.LATCH_LOST);
        lifecycle.elected(fx.fence(operator, "term-2", 2));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        await().atMost(WAIT).until(() -> fx.liveMasterTasks().isEmpty());
        assertThat(fx.masterFrameworkIds()).containsExactly(id);
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }
}
