package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.deploy.Readiness;
import io.beehive.scheduler.core.offer.Demand;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Deployment;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.HealthCheckType;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.UpgradeStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment rules on the planner and the plan alone, step by step as the leader would apply them: after every
 * event (a launch, a task becoming RUNNING, then healthy, a kill landing), the ready count stays at or above the floor
 * and the live count at or below the ceiling, and the deployment ends with every instance on the new version.
 */
class DeploymentPlanTest {
    private static final HealthCheckSpec CHECK = new HealthCheckSpec(HealthCheckType.TCP, null, 0, null, 1, 1, 1, 3, 1);

    private final DemandPlanner planner = new DemandPlanner(new RestartTracker(), 60_000, 60_000);

    /** A service at run version 1 with {@code n} ready instances, deploying to version 2. */
    private static JobRecord deploying(int n, UpgradeStrategy strategy) {
        return new JobRecord("web", JobKind.SERVICE, CommandSpec.shell("serve v2"), Map.of(),
                new ResourceSpec(0.1, 1, 0, 1), n, List.of(), RestartPolicy.DEFAULT, 0, JobGoal.RUNNING, 3, 0, 0,
                CHECK, strategy, 2, null, Deployment.start("web", DeploymentKind.UPDATE, 1, 2, 0, 3, "test"), null);
    }

    private static TaskRecord task(String id, int instance, long version, TaskState state, Boolean healthy) {
        return new TaskRecord(id, "web", instance, "agent", "h", state, null, 0, 0, DesiredState.RUNNING, 0, 0,
                List.of(31000 + instance), null, null, version, true, healthy, null);
    }

    private static final class Cluster {
        JobRecord job;
        final TaskBook book;
        int launched;

        Cluster(JobRecord job) {
            this.job = job;
            List<TaskRecord> old = new ArrayList<>();
            for (int i = 0; i < job.instances(); i++) {
                old.add(task("old-" + i, i, 1, TaskState.TASK_RUNNING, true));
            }
            this.book = new TaskBook(List.of(job), old, List.of());
        }

        int ready() {
            return (int) book.tasks().stream().filter(t -> Readiness.ready(t, job.upgradeStrategy(), 1)).count();
        }

        long live(DemandPlanner planner) {
            return book.tasksOf("web").stream().filter(t -> planner.holdsSlot(job, t, 1)).count();
        }
    }

    /**
     * Runs the deployment to its end, one event at a time, with {@code newHealthy} deciding what the new version's
     * health checks say; asserts the floor and the ceiling after every event. Returns the final decision.
     */
    private DeploymentPlan.Decision run(Cluster c, boolean newHealthy) {
        return run(c, newHealthy, -1, 0);
    }

    /** As above; at round {@code scaleAt} the job is scaled to {@code scaleTo} instances, as a PATCH would. */
    private DeploymentPlan.Decision run(Cluster c, boolean newHealthy, int scaleAt, int scaleTo) {
        for (int round = 0; round < 1000; round++) {
            int readyBefore = c.ready();
            long liveBefore = c.live(planner);
            if (round == scaleAt) {
                c.job = c.job.withInstances(scaleTo, 1);
                c.book.putJob(c.job);
                c.book.tasksOf("web").stream().filter(t -> t.instance() >= scaleTo && !TaskStates.isGone(t.state()))
                        .toList().forEach(t -> c.book.putTask(t.withKillIntent(1))); // the scale-down's own kills
            }
            JobRecord job = c.job;
            // A scale moves the floor and the ceiling at once: the rule is that no step takes the ready count below
            // the floor (or below where it stood, if a scale-up just raised the floor) nor the live count above the
            // ceiling (or above where it stood, if a scale-down just lowered it). Without a scale: the plain bounds.
            int floor = Math.min(job.upgradeStrategy().floor(job.instances()), readyBefore);
            long ceiling = Math.max(job.upgradeStrategy().ceiling(job.instances()), liveBefore);
            DeploymentPlan.Decision d = DeploymentPlan.decide(job, c.book.tasksOf("web"), 1,
                    t -> planner.holdsSlot(job, t, 1));
            if (d.outcome() != DeploymentPlan.Outcome.IN_PROGRESS) {
                return d;
            }
            d.kill().forEach(t -> c.book.putTask(t.withKillIntent(1)));
            for (Demand demand : planner.demands(c.book, List.of(), 1)) {
                c.book.putTask(task("new-" + c.launched++, demand.instance(), 2, TaskState.TASK_STAGING, null));
            }
            assertInvariant(c, floor, ceiling);
            // One event per round: the first task that has something left to happen moves on.
            TaskRecord next = c.book.tasksOf("web").stream()
                    .filter(t -> !TaskStates.isGone(t.state()))
                    .filter(t -> t.desiredState() == DesiredState.KILLED || t.state() != TaskState.TASK_RUNNING
                            || t.healthy() == null)
                    .sorted(java.util.Comparator.comparing(TaskRecord::taskId)).findFirst().orElse(null);
            if (next == null) {
                continue;
            }
            if (next.desiredState() == DesiredState.KILLED) {
                c.book.putTask(next.withStatus(TaskState.TASK_KILLED, null, 1));
            } else if (next.state() != TaskState.TASK_RUNNING) {
                c.book.putTask(next.withStatus(TaskState.TASK_RUNNING, null, 1));
            } else if (newHealthy) {
                c.book.putTask(next.withStatus(TaskState.TASK_RUNNING, null, true, 1));
            } else {
                // The executor reports unhealthy, then kills the task after its consecutive failures.
                c.book.putTask(next.withStatus(TaskState.TASK_KILLED, null, false, 1));
            }
            assertInvariant(c, floor, ceiling);
        }
        throw new AssertionError("the deployment did not end in 1000 events");
    }

    private void assertInvariant(Cluster c, int floor, long ceiling) {
        long live = c.live(planner);
        assertThat(c.ready()).as("ready instances (floor %d)", floor).isGreaterThanOrEqualTo(floor);
        assertThat(live).as("live instances (ceiling %d)", ceiling).isLessThanOrEqualTo(ceiling);
    }

    @ParameterizedTest(name = "{0} instances, min {1}, max {2}")
    @CsvSource({"6, 1.0, 0.2", "6, 0.5, 0", "6, 0.5, 0.5", "1, 1.0, 0.2", "1, 0, 0", "3, 0.67, 0.1", "10, 0.9, 0",
            "100, 1.0, 0.2"})
    void aHealthyVersionReplacesEveryInstanceWithinTheFloorAndTheCeiling(int n, double min, double max) {
        Cluster c = new Cluster(deploying(n, new UpgradeStrategy(min, max, 10, 3, 600)));
        DeploymentPlan.Decision end = run(c, true);
        assertThat(end.outcome()).isEqualTo(DeploymentPlan.Outcome.SUCCEEDED);
        List<TaskRecord> live = c.book.tasksOf("web").stream().filter(t -> !TaskStates.isGone(t.state())).toList();
        assertThat(live).hasSize(n).allMatch(t -> t.runVersion() == 2 && Boolean.TRUE.equals(t.healthy()));
        assertThat(live).extracting(TaskRecord::instance).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0} instances, min {1}, max {2}")
    @CsvSource({"6, 1.0, 0.2", "6, 0.5, 0", "1, 1.0, 0.2"})
    void aVersionThatNeverGetsHealthyFailsAfterMaxFailuresWithoutGoingBelowTheFloor(int n, double min, double max) {
        Cluster c = new Cluster(deploying(n, new UpgradeStrategy(min, max, 10, 3, 600)));
        DeploymentPlan.Decision end = run(c, false);
        assertThat(end.outcome()).isEqualTo(DeploymentPlan.Outcome.FAILED);
        assertThat(end.progress().failedTaskIds()).hasSize(3);
        assertThat(end.detail()).contains("3 new instances failed");
    }

    @Test
    void oldInstancesNotReadyYetAreCapacityButUnhealthyOnesGoAtOnce() {
        JobRecord job = deploying(4, new UpgradeStrategy(1.0, 0.25, 10, 3, 600));
        List<TaskRecord> starting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starting.add(task("old-" + i, i, 1, TaskState.TASK_RUNNING, null));
        }
        TaskBook book = new TaskBook(List.of(job), starting, List.of());
        assertThat(DeploymentPlan.decide(job, book.tasksOf("web"), 1, t -> true).kill()).isEmpty();

        book.putTask(task("old-2", 2, 1, TaskState.TASK_RUNNING, false));
        assertThat(DeploymentPlan.decide(job, book.tasksOf("web"), 1, t -> true).kill())
                .extracting(TaskRecord::taskId).containsExactly("old-2");
    }

    @ParameterizedTest(name = "scaled from 4 to {0} at event {1}")
    @CsvSource({"8, 3", "2, 3", "8, 9", "1, 9"})
    void scalingDuringADeploymentAppliesToTheTargetVersion(int scaleTo, int scaleAt) {
        Cluster c = new Cluster(deploying(4, new UpgradeStrategy(1.0, 0.25, 10, 3, 600)));
        DeploymentPlan.Decision end = run(c, true, scaleAt, scaleTo);
        assertThat(end.outcome()).isEqualTo(DeploymentPlan.Outcome.SUCCEEDED);
        List<TaskRecord> live = c.book.tasksOf("web").stream().filter(t -> !TaskStates.isGone(t.state())
                && t.desiredState() == DesiredState.RUNNING).toList();
        assertThat(live).hasSize(scaleTo).allMatch(t -> t.runVersion() == 2);
    }

    @Test
    void aDeploymentPastItsProgressDeadlineFails() {
        JobRecord job = deploying(2, new UpgradeStrategy(1.0, 0.5, 10, 3, 60));
        TaskBook book = new Cluster(job).book;
        assertThat(DeploymentPlan.decide(job, book.tasksOf("web"), 60_000, t -> true).outcome())
                .isEqualTo(DeploymentPlan.Outcome.IN_PROGRESS);
        DeploymentPlan.Decision late = DeploymentPlan.decide(job, book.tasksOf("web"), 60_001, t -> true);
        assertThat(late.outcome()).isEqualTo(DeploymentPlan.Outcome.FAILED);
        assertThat(late.detail()).contains("progressDeadlineSeconds 60");
    }

    @Test
    void withoutAHealthCheckANewInstanceIsReadyOnlyAfterMinReadySeconds() {
        UpgradeStrategy strategy = new UpgradeStrategy(1.0, 0.2, 10, 3, 600);
        TaskRecord running = new TaskRecord("t", "web", 0, "a", "h", TaskState.TASK_RUNNING, null, 0, 5_000,
                DesiredState.RUNNING, 0, 0, List.of());
        assertThat(Readiness.ready(running, strategy, 14_999)).isFalse();
        assertThat(Readiness.ready(running, strategy, 15_000)).isTrue();
        assertThat(Readiness.ready(running.withKillIntent(15_000), strategy, 30_000)).isFalse();
    }

    @Test
    void floorAndCeilingFollowMarathonsRoundingButAlwaysLeaveRoomForAStep() {
        UpgradeStrategy standard = new UpgradeStrategy(1.0, 0.2, 10, 3, 600);
        assertThat(standard.floor(6)).isEqualTo(6);
        assertThat(standard.ceiling(6)).isEqualTo(7);
        assertThat(standard.ceiling(10)).isEqualTo(12);
        assertThat(standard.ceiling(1)).as("floor(1.2) would allow no new instance").isEqualTo(2);
        UpgradeStrategy half = new UpgradeStrategy(0.5, 0, 10, 3, 600);
        assertThat(half.floor(6)).isEqualTo(3);
        assertThat(half.floor(1)).as("ceil(0.5) would allow no old instance to go").isZero();
        assertThat(half.ceiling(6)).isEqualTo(6);
    }
}
