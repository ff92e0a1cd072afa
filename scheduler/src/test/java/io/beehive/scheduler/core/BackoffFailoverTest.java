package io.beehive.scheduler.core;

import io.beehive.state.record.BackoffPolicy;
import io.beehive.state.record.CrashLoopGuard;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.SlotBackoff;
import io.beehive.state.record.TaskRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A crash-looping service keeps its backoff and its crash-loop guard across a fail-over. */
class BackoffFailoverTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final long MAX_DELAY = 8_000;
    /** 0.5 s, 1 s, then the guard trips on the third failure in two minutes: 8 s each time. */
    private static final RestartPolicy POLICY = new RestartPolicy(3, new BackoffPolicy(500, MAX_DELAY, 2.0),
            new CrashLoopGuard(3, 120_000));

    BackoffFailoverTest() {
        super(1);
    }

    /** The failed record whose backoff shows the guard tripped (waits the maximum after its failure). */
    private static Optional<TaskRecord> tripped(List<TaskRecord> tasks, long launchedAfter) {
        return tasks.stream()
                .filter(t -> t.backoff() != null && t.launchedAtMillis() > launchedAfter
                        && waited(t.backoff()) == MAX_DELAY)
                .max(Comparator.comparingLong(t -> t.backoff().notBeforeMillis()));
    }

    private static long waited(SlotBackoff b) {
        List<Long> failures = b.recentFailuresMillis();
        return b.notBeforeMillis() - failures.get(failures.size() - 1);
    }

    @Test
    void theNewLeaderWaitsOutThePersistedBackoffAndTheGuardStillTrips() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.STANDBY && b.leader().isPresent());

        a.createJob(CoreFixture.job("crash", JobKind.SERVICE, 1, "exit 1", POLICY)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> tripped(List.copyOf(a.tasksOf("crash")), 0).isPresent());
        TaskRecord trippedOnA = tripped(List.copyOf(a.tasksOf("crash")), 0).orElseThrow();
        // It becomes durable with the failure (the leader's own view may run a write ahead), and that is what the
        // next leader will read.
        await().atMost(WAIT).until(() -> zk.readTask(trippedOnA.taskId()).get(5, TimeUnit.SECONDS)
                .map(t -> trippedOnA.backoff().equals(t.backoff())).orElse(false));
        SlotBackoff stored = zk.readTask(trippedOnA.taskId()).get(5, TimeUnit.SECONDS).orElseThrow().backoff();
        assertThat(stored.recentFailuresMillis()).hasSize(3);

        assertThat(a.abdicate()).isTrue();
        await().atMost(WAIT).until(() -> b.phase() == LifecyclePhase.ACTIVE);
        assertThat(System.currentTimeMillis()).as("b took office inside the backoff, or this proves nothing")
                .isLessThan(stored.notBeforeMillis());

        // b's first launch for the slot waits for the persisted time ...
        await().atMost(WAIT).until(() -> b.tasksOf("crash").stream()
                .anyMatch(t -> t.launchedAtMillis() > trippedOnA.updatedAtMillis()));
        TaskRecord firstOnB = b.tasksOf("crash").stream()
                .filter(t -> t.launchedAtMillis() > trippedOnA.updatedAtMillis())
                .min(Comparator.comparingLong(TaskRecord::launchedAtMillis)).orElseThrow();
        assertThat(firstOnB.launchedAtMillis()).isGreaterThanOrEqualTo(stored.notBeforeMillis());

        // ... and its failure is the fourth in the window: crash-looping still, the maximum delay again.
        await().atMost(WAIT).until(() -> b.tasksOf("crash").stream()
                .anyMatch(t -> t.taskId().equals(firstOnB.taskId()) && t.backoff() != null));
        SlotBackoff next = b.tasksOf("crash").stream().filter(t -> t.taskId().equals(firstOnB.taskId()))
                .findFirst().orElseThrow().backoff();
        assertThat(waited(next)).isEqualTo(MAX_DELAY);
    }
}
