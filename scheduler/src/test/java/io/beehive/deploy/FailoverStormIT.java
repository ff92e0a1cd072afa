package io.beehive.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storm in CI: the same checks as the full one ({@code DeployBenchmarkTest#fullStorm}, ≥ 2,000 launches and
 * 10 kills, run with {@code -Pbench}), on a smaller scale so that it fits the CI time budget on two cores.
 * Overridable: {@code -Dbeehive.storm.batchJobs}, {@code -Dbeehive.storm.kills}.
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
        FailoverStorm.Plan plan = new FailoverStorm.Plan(3, 10, Integer.getInteger("beehive.storm.batchJobs", 300),
            Integer.getInteger("beehive.storm.kills", 4), Duration.ofMinutes(5));
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
