package io.beehive.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storm, full size, in CI: 4 service jobs of 25 instances and 1,950 batch jobs (2,050 launches) while the leader
 * is killed 10 times, SIGTERM and SIGKILL in turn. About 5 minutes on two busy cores, which the CI budget allows;
 * a developer can shrink it with {@code -Dbeehive.storm.batchJobs=300 -Dbeehive.storm.kills=4} (same checks).
 * {@code DeployBenchmarkTest#fullStorm} runs the same plan under {@code -Pbench} and prints its figures.
 */
class FailoverStormIT {
    private static LocalDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = Deployments.startFromJar(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", "4s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void noRecordLostNoDuplicateAndEveryJobAtItsGoalAfterLeaderKillsDuringLaunches() throws Exception {
        FailoverStorm.Plan plan = new FailoverStorm.Plan(4, 25, Integer.getInteger("beehive.storm.batchJobs", 1950),
            Integer.getInteger("beehive.storm.kills", 10), Duration.ofMinutes(10));
        FailoverStorm.Report report = new FailoverStorm(deployment).run(plan);
        assertStormHeld(report);
    }

    /** The checks of every storm, CI-sized or full. */
    static void assertStormHeld(FailoverStorm.Report report) {
        System.out.println(report.summary());
        assertThat(report.kills()).as("leader kills").hasSize(report.plan().kills());
        assertThat(report.launched().size()).as("tasks launched").isGreaterThanOrEqualTo(report.plan().launches());
        assertThat(report.lost()).as("task ids that reached RUNNING and are no longer known to Beehive").isEmpty();
        assertThat(report.excesses()).as("moments the master ran more copies of a job than its instances").isEmpty();
        assertThat(report.orphans()).as("tasks running at the master that Beehive does not know").isEmpty();
    }
}
