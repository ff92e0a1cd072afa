package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant 6, acknowledgements: while SUSPENDED an update may be written but is not acknowledged, so the agent keeps
 * re-sending it (the master never passed an ACKNOWLEDGE on); once resumed it is acknowledged and the re-sending stops.
 * The re-sent copies are not written again.
 */
class SuspendedAcknowledgementTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    SuspendedAcknowledgementTest() {
        super(1);
    }

    @Test
    void nothingIsAcknowledgedWhileSuspendedAndEverythingIsOnceResumed() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        SchedulerLifecycle lifecycle = fx.lifecycle(CoreFixture.fastConfig().build(), registry);
        lifecycle.elected(fx.fence(fx.newClient(), "term-1", 1));
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        var term = lifecycle.term().orElseThrow();
        CoreMetrics metrics = lifecycle.metrics();
        Path stop = workDir.resolve("stop");
        // A batch job: once it finishes nothing replaces it, so every later update is about this one task.
        term.createJob(CoreFixture.job("once", JobKind.BATCH, 1, "while [ ! -e " + stop + " ]; do sleep 0.1; done",
                RestartPolicy.DEFAULT)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> term.book().orElseThrow().tasksOf("once").stream()
                .anyMatch(t -> t.state() == TaskState.TASK_RUNNING));
        TaskRecord task = term.book().orElseThrow().tasksOf("once").iterator().next();
        await().atMost(WAIT).until(() -> metrics.updatesAcknowledged() == metrics.updatesAcknowledgeable());

        lifecycle.suspended();
        long ackedBefore = metrics.updatesAcknowledged();
        long receivedBefore = metrics.updatesReceived();
        Files.createFile(stop);

        // The FINISHED update is written (ZooKeeper is fine, only the election doubts it) ...
        await().atMost(WAIT).until(() -> zk.readTask(task.taskId()).get().orElseThrow().state()
                == TaskState.TASK_FINISHED);
        var client = fx.newClient();
        String taskPath = zk.layout().task(task.taskId());
        int versionWritten = client.checkExists().forPath(taskPath).getVersion();
        long resentBefore = metrics.updatesResent();
        // ... and delivered again and again, because the master never got an acknowledgement for it.
        await().atMost(WAIT).until(() -> metrics.updatesReceived() >= receivedBefore + 4);
        assertThat(metrics.updatesAcknowledged()).isEqualTo(ackedBefore);
        assertThat(lifecycle.phase()).isEqualTo(LifecyclePhase.SUSPENDED);
        // The copies are recognised (same state, same uuid as the record) and cost no second write.
        assertThat(metrics.updatesResent()).isGreaterThanOrEqualTo(resentBefore + 2);
        assertThat(client.checkExists().forPath(taskPath).getVersion()).isEqualTo(versionWritten);

        lifecycle.resumed();
        await().atMost(WAIT).until(() -> lifecycle.phase() == LifecyclePhase.ACTIVE);
        await().atMost(WAIT).until(() -> metrics.updatesAcknowledged() > ackedBefore);
        // Acknowledged: the agent stops re-sending (several retry intervals pass without another delivery).
        AtomicLong last = new AtomicLong(-1);
        await().during(Duration.ofSeconds(4)).atMost(WAIT)
                .until(() -> last.getAndSet(metrics.updatesReceived()) == metrics.updatesReceived());
    }
}
