package io.beehive.scheduler.core;

import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.TermStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pushed events (task changes once durable, phase changes) and the published term status across a fail-over. */
class EventsAndTermStatusTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    EventsAndTermStatusTest() {
        super(2);
    }

    /** One task change as the listener heard it, with what ZooKeeper held for the task at that moment. */
    private record Heard(String taskId, TaskState previous, TaskState state,
                         CompletableFuture<Optional<TaskRecord>> storedThen) {
    }

    @Test
    void aListenerHearsEachDurableTaskChangeAndEveryPhaseChange() throws Exception {
        List<Heard> tasks = new CopyOnWriteArrayList<>();
        List<String> phases = new CopyOnWriteArrayList<>();
        BeehiveScheduler s = fx.replica("a:1", CoreFixture.fastConfig().build());
        s.addEventListener(new SchedulerEventListener() {
            @Override
            public void taskStateChanged(TaskRecord task, TaskState previous) {
                // Asked at once, answered later: what ZooKeeper held when the event was published.
                tasks.add(new Heard(task.taskId(), previous, task.state(), zk.readTask(task.taskId())));
            }

            @Override
            public void phaseChanged(LifecyclePhase from, LifecyclePhase to) {
                phases.add(from + "->" + to);
            }
        });
        s.start();
        await().atMost(WAIT).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        assertThat(phases).containsExactly("STANDBY->LOADING", "LOADING->SUBSCRIBING", "SUBSCRIBING->RECONCILING",
                "RECONCILING->ACTIVE");

        s.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> tasks.stream().anyMatch(h -> h.state() == TaskState.TASK_RUNNING));
        String id = tasks.get(0).taskId();
        assertThat(tasks.get(0).previous()).isNull();
        assertThat(tasks.get(0).state()).isEqualTo(TaskState.TASK_STAGING);
        Heard runningHeard = tasks.stream().filter(h -> h.state() == TaskState.TASK_RUNNING).findFirst().orElseThrow();
        assertThat(runningHeard.taskId()).isEqualTo(id);
        assertThat(runningHeard.previous()).isIn(TaskState.TASK_STAGING, TaskState.TASK_STARTING);
        // Each event came after its state was durable: a read asked at that moment finds the record (the launch)
        // and, for RUNNING (nothing follows it here), finds RUNNING.
        for (Heard h : tasks) {
            assertThat(h.storedThen().get(10, TimeUnit.SECONDS)).as("stored when %s was published", h.state())
                    .isPresent();
        }
        assertThat(runningHeard.storedThen().get(10, TimeUnit.SECONDS).orElseThrow().state())
                .isEqualTo(TaskState.TASK_RUNNING);

        s.close();
        assertThat(phases).last().asString().endsWith("->STOPPED");
    }

    @Test
    void theStoredTermStatusNamesTheNewLeaderItsFrameworkIdFailoverAndReconciliation() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.STANDBY && b.leader().isPresent());
        a.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 1);
        await().atMost(WAIT).until(() -> zk.readTermStatus().get().map(TermStatus::failoverMillis).isPresent());
        TermStatus before = zk.readTermStatus().get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(before.participantId()).isEqualTo("a:1");
        String frameworkId = a.frameworkId().orElseThrow();
        assertThat(before.frameworkId()).isEqualTo(frameworkId);

        long abdicatedAt = System.currentTimeMillis();
        assertThat(a.abdicate()).isTrue();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);
        await().atMost(WAIT).until(() -> zk.readTermStatus().get().filter(t -> t.participantId().equals("b:1")
                && t.failoverMillis() != null).isPresent());

        TermStatus after = zk.readTermStatus().get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(after.epoch()).isGreaterThan(before.epoch());
        assertThat(after.frameworkId()).isEqualTo(frameworkId);
        assertThat(after.electedAtMillis()).isGreaterThanOrEqualTo(abdicatedAt);
        assertThat(after.subscribedAtMillis()).isGreaterThanOrEqualTo(after.electedAtMillis());
        assertThat(after.failoverMillis()).isEqualTo(b.lastFailoverDuration().orElseThrow().toMillis());
        assertThat(after.lastReconciliationAtMillis()).isGreaterThanOrEqualTo(after.subscribedAtMillis());
        assertThat(after.lastReconciliationAtMillis())
                .isEqualTo(b.lastReconciliation().orElseThrow().toEpochMilli());

        // An operator's reconciliation is published too.
        long reconciledAt = b.reconcileNow().get(30, TimeUnit.SECONDS).toEpochMilli();
        await().atMost(WAIT).until(() -> zk.readTermStatus().get().orElseThrow().lastReconciliationAtMillis()
                == reconciledAt);
    }
}
