package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.offer.Demand;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemandPlannerTest {
    private final DemandPlanner planner = new DemandPlanner(new RestartTracker(), 60_000, 60_000);

    private static JobRecord job(String id, JobKind kind, int instances, int retries) {
        return new JobRecord(id, kind, CommandSpec.shell("true"), Map.of(), new ResourceSpec(0.1, 1, 0, 0), instances,
                List.of(), new RestartPolicy(retries, null, null), 0, JobGoal.RUNNING, 1, 0, 0);
    }

    private static TaskRecord task(String id, String job, int instance, int attempt, TaskState state, String agent) {
        return new TaskRecord(id, job, instance, agent, "h", state, null, 0, 0, DesiredState.RUNNING, 0, attempt, null);
    }

    @Test
    void serviceNeedsTheInstancesThatHoldNoLiveTask() {
        TaskBook book = new TaskBook(List.of(job("s", JobKind.SERVICE, 3, 0)),
                List.of(task("a", "s", 0, 0, TaskState.TASK_RUNNING, "x"), task("b", "s", 1, 0, TaskState.TASK_FAILED, "x"),
                        task("c", "s", 2, 0, TaskState.TASK_UNKNOWN, "x")), List.of());
        assertThat(planner.demands(book, List.of(), 0)).extracting(Demand::instance).containsExactly(1, 2);
    }

    @Test
    void anUnreachableTaskHoldsItsSlotOnlyForTheConfiguredTime() {
        TaskBook book = new TaskBook(List.of(job("s", JobKind.SERVICE, 1, 0)),
                List.of(task("a", "s", 0, 0, TaskState.TASK_UNREACHABLE, "x")), List.of());
        assertThat(planner.demands(book, List.of(), 59_999)).isEmpty();
        assertThat(planner.demands(book, List.of(), 60_000)).hasSize(1);
    }

    /**
     * Housekeeping kills an unreachable task once its wait is over (if its agent comes back it must not run twice).
     * Found by the real-Mesos suite: that kill restarted the wait, so the replacement came after twice the wait.
     */
    @Test
    void theKillThatEndsAnUnreachableTasksWaitDoesNotStartTheWaitAgain() {
        TaskRecord killedAfterTheWait = task("a", "s", 0, 0, TaskState.TASK_UNREACHABLE, "x").withKillIntent(60_000);
        TaskBook book = new TaskBook(List.of(job("s", JobKind.SERVICE, 1, 0)), List.of(killedAfterTheWait), List.of());
        assertThat(planner.demands(book, List.of(), 60_001)).hasSize(1);
    }

    @Test
    void aTaskBeingKilledHoldsItsSlotUntilItIsTerminalOrTheKillIsGivenUp() {
        JobRecord web = new JobRecord("s", JobKind.SERVICE, CommandSpec.shell("true"), Map.of(),
                new ResourceSpec(0.1, 1, 0, 0), 1, List.of(), null, 5_000, JobGoal.RUNNING, 1, 0, 0);
        TaskRecord killing = task("a", "s", 0, 0, TaskState.TASK_KILLING, "x").withKillIntent(1_000);
        TaskBook book = new TaskBook(List.of(web), List.of(killing), List.of());
        // grace period 5 s + killReplaceAfter 60 s from the kill intent at 1 s
        assertThat(planner.demands(book, List.of(), 65_999)).isEmpty();
        assertThat(planner.demands(book, List.of(), 66_000)).hasSize(1);

        book.putTask(killing.withStatus(TaskState.TASK_KILLED, null, 2_000));
        assertThat(planner.demands(book, List.of(), 2_000)).hasSize(1);
    }

    @Test
    void batchRetriesUpToTheLimitAndStopsOnceFinished() {
        TaskBook failing = new TaskBook(List.of(job("b", JobKind.BATCH, 1, 2)),
                List.of(task("a0", "b", 0, 0, TaskState.TASK_FAILED, "x"), task("a1", "b", 0, 1, TaskState.TASK_FAILED, "x")),
                List.of());
        assertThat(planner.demands(failing, List.of(), 0)).hasSize(1);
        failing.putTask(task("a2", "b", 0, 2, TaskState.TASK_FAILED, "x"));
        assertThat(planner.demands(failing, List.of(), 0)).isEmpty();
        TaskBook done = new TaskBook(List.of(job("b", JobKind.BATCH, 1, 2)),
                List.of(task("a0", "b", 0, 0, TaskState.TASK_FINISHED, "x")), List.of());
        assertThat(planner.demands(done, List.of(), 0)).isEmpty();
    }

    @Test
    void daemonWantsOneTaskPerKnownAgentExceptBlacklistedOnes() {
        TaskBook book = new TaskBook(List.of(job("d", JobKind.DAEMON, 0, 0)),
                List.of(task("a", "d", 0, 0, TaskState.TASK_RUNNING, "x")),
                List.of(new io.beehive.state.record.BlacklistEntry("z", "broken", 0)));
        assertThat(planner.demands(book, List.of("x", "y", "z"), 0)).extracting(Demand::requiredAgentId)
                .containsExactly("y");
    }

    @Test
    void deletedJobsWantNothing() {
        TaskBook book = new TaskBook(List.of(job("s", JobKind.SERVICE, 3, 0).withGoal(JobGoal.DELETED, 1)), List.of(),
                List.of());
        assertThat(planner.demands(book, List.of(), 0)).isEmpty();
    }
}
