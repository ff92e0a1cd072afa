package io.beehive.scheduler.sdk;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import io.beehive.scheduler.mesos.ConnectionState;
import io.beehive.scheduler.mesos.Encoding;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.mesos.ScriptedMaster;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SDK's dispatch rules: one thread, master order, posted work interleaved, explicit acknowledgement. */
class SchedulerDriverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private ScriptedMaster master;
    private SchedulerDriver driver;
    private final MetricRegistry metrics = new MetricRegistry();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startMaster() throws Exception {
        master = new ScriptedMaster(Encoding.PROTOBUF);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.stop();
        }
        master.close();
    }

    private void start(Scheduler scheduler, Duration ackLimit) {
        MesosClientConfig config = MesosClientConfig.builder().masters(master.hostPort())
                .frameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("sdk-test").build())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        driver = new SchedulerDriver(scheduler, config, metrics, ackLimit);
        driver.start();
        await().atMost(WAIT).until(() -> driver.state() == ConnectionState.SUBSCRIBED);
    }

    private static Event rescind(String offer) {
        return Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(OfferID.newBuilder().setValue(offer))).build();
    }

    private static Event update(String task, boolean withUuid) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task))
                .setState(TaskState.TASK_RUNNING).setAgentId(AgentID.newBuilder().setValue("a1"));
        if (withUuid) {
            UUID uuid = UUID.randomUUID();
            status.setUuid(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array()));
        }
        return Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    }

    private final class Recording implements Scheduler {
        @Override
        public void registered(SchedulerDriver d, FrameworkID id, MasterInfo info) {
            threads.add(Thread.currentThread().getName());
            seen.add("registered " + id.getValue());
        }

        @Override
        public void reregistered(SchedulerDriver d, MasterInfo info) {
            seen.add("reregistered");
        }

        @Override
        public void disconnected(SchedulerDriver d) {
            seen.add("disconnected");
        }

        @Override
        public void offerRescinded(SchedulerDriver d, OfferID offerId) {
            threads.add(Thread.currentThread().getName());
            seen.add("rescinded " + offerId.getValue());
        }

        @Override
        public void error(SchedulerDriver d, String message) {
            seen.add("error " + message);
        }
    }

    @Test
    void callbacksRunOnOneThreadInStreamOrderWithPostedWorkInterleaved() {
        start(new Recording(), Duration.ofSeconds(30));
        for (int i = 0; i < 200; i++) {
            master.stream().send(rescind("o" + i));
        }
        await().atMost(WAIT).until(() -> seen.size() == 201);
        driver.post(() -> {
            threads.add(Thread.currentThread().getName());
            seen.add("posted");
        });
        master.stream().send(rescind("last"));
        await().atMost(WAIT).until(() -> seen.size() == 203);
        assertThat(seen.get(0)).isEqualTo("registered fw-1");
        for (int i = 0; i < 200; i++) {
            assertThat(seen.get(i + 1)).isEqualTo("rescinded o" + i);
        }
        assertThat(seen.subList(201, 203)).containsExactly("posted", "rescinded last");
        assertThat(threads).containsExactly(SchedulerDriver.EVENT_THREAD);
    }

    @Test
    void reconnectingGivesDisconnectedThenReregistered() {
        start(new Recording(), Duration.ofSeconds(30));
        master.stream().close();
        await().atMost(WAIT).until(() -> seen.contains("reregistered"));
        assertThat(seen).containsExactly("registered fw-1", "disconnected", "reregistered");
        assertThat(metrics.counter(SchedulerDriver.SUBSCRIPTIONS_COUNTER).getCount()).isEqualTo(2);
        assertThat(metrics.counter(SchedulerDriver.DISCONNECTIONS_COUNTER).getCount()).isEqualTo(1);
        assertThat(metrics.getGauges().get(SchedulerDriver.STATE_GAUGE).getValue()).isEqualTo("SUBSCRIBED");
    }

    @Test
    void failoverToAnotherInstanceIsReportedAsAnError() throws Exception {
        start(new Recording(), Duration.ofSeconds(30));
        master.stream().send(Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage("Framework failed over")).build());
        assertThat(driver.await()).isEqualTo(ConnectionState.FAILED_OVER);
        // await() returns only after the callbacks queued before the end have run.
        assertThat(seen).containsExactly("registered fw-1", "error Framework failed over");
    }

    @Test
    void acknowledgementIsExplicitAndAForgottenOneIsCounted() {
        List<TaskStatus> updates = new CopyOnWriteArrayList<>();
        start(new Scheduler() {
            @Override
            public void statusUpdate(SchedulerDriver d, TaskStatus status) {
                updates.add(status);
                if (status.getTaskId().getValue().equals("acked") || !status.hasUuid()) {
                    d.acknowledgeStatusUpdate(status);
                }
            }
        }, Duration.ofMillis(300));
        master.stream().send(update("acked", true));
        master.stream().send(update("forgotten", true));
        master.stream().send(update("reconciled", false));
        await().atMost(WAIT).until(() -> metrics.counter("mesos.status-updates.unacknowledged").getCount() == 1);
        await().atMost(WAIT).until(() -> master.calls.size() == 1);
        Call ack = master.calls.get(0);
        assertThat(ack.getType()).isEqualTo(Call.Type.ACKNOWLEDGE);
        assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("acked");
        assertThat(ack.getAcknowledge().getUuid()).isEqualTo(updates.get(0).getUuid());
        assertThat(metrics.getGauges().get("mesos.status-updates.awaiting-acknowledgement").getValue()).isEqualTo(1);
        // Nothing else was sent: the update without uuid was not acknowledged.
        assertThat(master.calls).hasSize(1);
    }

    @Test
    void aThrowingCallbackDoesNotStopDelivery() {
        start(new Scheduler() {
            @Override
            public void offerRescinded(SchedulerDriver d, OfferID offerId) {
                seen.add(offerId.getValue());
                if (offerId.getValue().equals("boom")) {
                    throw new IllegalStateException("framework bug");
                }
            }
        }, Duration.ofSeconds(30));
        master.stream().send(rescind("boom"));
        master.stream().send(rescind("after"));
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("boom", "after");
    }
}
