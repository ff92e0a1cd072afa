package io.beehive.scheduler.core;

import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DeploymentResult;
import io.beehive.state.record.DeploymentSummary;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.UpgradeStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * maxFailures counts every new-version instance that fails during a deployment, however many other tasks end
 * meanwhile. The failures are read from the task records, and a job keeps only its newest terminal records
 * (historyMaxPerJob, 10 by default): the old instances the deployment kills are terminal records too, so a failure
 * followed by ten of them used to be pruned and forgotten, and a version whose instances failed now and then went
 * through however many failed.
 */
class DeploymentFailureCountTest extends CoreClusterTest {
    private static final int INSTANCES = 24;

    DeploymentFailureCountTest() {
        super(2);
    }

    @Test
    void failuresFarApartStillAddUpToMaxFailures() throws Exception {
        BeehiveScheduler s = leadingReplica("a:1");
        s.createJob(service("web", INSTANCES, "exec sleep 300", 0, null, new UpgradeStrategy(1.0, 0.2, 0, 3, 600)))
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> CoreFixture.running(s, "web") == INSTANCES);

        // the new version fails once in instance 1, 12 and 23: at the start, in the middle and at the end of the
        // deployment (mkdir is atomic: exactly one launch per instance fails); each one's next launch runs, so the
        // deployment moves on between the failures
        JobRecord job = s.job("web").orElseThrow();
        String flaky = "i=$(echo \"$MESOS_TASK_ID\" | cut -d. -f2); case $i in 1|12|23) mkdir '" + workDir
                + "/failed-'$i 2>/dev/null && exit 1;; esac; exec sleep 301";
        s.updateJob(new JobRecord(job.id(), job.kind(), CommandSpec.shell(flaky), job.environment(), job.resources(),
                job.instances(), job.constraints(), job.restartPolicy(), job.killGracePeriodMillis(), job.goal(),
                job.version(), job.createdAtMillis(), job.updatedAtMillis(), job.healthCheck(), job.upgradeStrategy(),
                job.runVersion(), job.previousRun(), job.deployment(), job.deploymentHistory()), false)
                .get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(90)).until(() -> s.job("web").orElseThrow().deploymentHistory() != null
                && s.job("web").orElseThrow().deploymentHistory().stream()
                .anyMatch(d -> d.kind() == DeploymentKind.UPDATE));
        DeploymentSummary update = s.job("web").orElseThrow().deploymentHistory().stream()
                .filter(d -> d.kind() == DeploymentKind.UPDATE).findFirst().orElseThrow();
        assertThat(update.result()).as(update.detail()).isEqualTo(DeploymentResult.FAILED);
        assertThat(update.detail()).contains("3 new instances failed", "web.1.", "web.12.", "web.23.");
    }
}
