package io.beehive.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Deployment;
import io.beehive.state.record.DeploymentKind;
import io.beehive.state.record.DeploymentResult;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.HealthCheckType;
import io.beehive.state.record.UpgradeStrategy;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.SchemaVersion;
import io.beehive.state.record.SlotBackoff;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.Constraint;
import io.beehive.state.record.ConstraintOperator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {
    private final RecordCodec codec = new RecordCodec();

    @Test
    void jobTaskAndBlacklistRoundTripWithASchemaVersion() throws Exception {
        JobRecord job = Records.job("web");
        TaskRecord task = Records.task(42);
        BlacklistEntry entry = new BlacklistEntry("agent-S1", "disk failing", 1_700_000_000_000L);

        assertThat(codec.decode(codec.encode(job), JobRecord.class)).isEqualTo(job);
        assertThat(codec.decode(codec.encode(task), TaskRecord.class)).isEqualTo(task);
        assertThat(codec.decode(codec.encode(entry), BlacklistEntry.class)).isEqualTo(entry);

        JsonNode json = codec.mapper().readTree(codec.encode(task));
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(SchemaVersion.CURRENT);
        assertThat(codec.mapper().readTree(codec.encode(job)).get("schemaVersion").asInt())
                .isEqualTo(SchemaVersion.CURRENT);
    }

    @Test
    void fieldsAndEnumNamesFromANewerWriterAreTolerated() {
        String newer = "{\"schemaVersion\":9,\"taskId\":\"t1\",\"jobId\":\"j1\",\"instance\":2,"
                + "\"state\":\"TASK_HIBERNATING\",\"futureField\":{\"nested\":[1,2,3]},\"attempt\":4}";
        TaskRecord task = codec.decode(newer.getBytes(StandardCharsets.UTF_8), TaskRecord.class);
        assertThat(task.taskId()).isEqualTo("t1");
        assertThat(task.instance()).isEqualTo(2);
        assertThat(task.attempt()).isEqualTo(4);
        assertThat(task.state()).isEqualTo(TaskState.TASK_UNKNOWN);
        assertThat(task.ports()).isEmpty();
    }

    @Test
    void killTimeAndSlotBackoffRoundTripAndOlderRecordsWithoutThemStillRead() {
        TaskRecord task = Records.task(7).withKillIntent(1_700_000_001_000L)
                .withBackoff(new SlotBackoff(1_700_000_060_000L, List.of(1_700_000_000_000L, 1_700_000_001_000L)));
        TaskRecord read = codec.decode(codec.encode(task), TaskRecord.class);
        assertThat(read).isEqualTo(task);
        assertThat(read.killRequestedAtMillis()).isEqualTo(1_700_000_001_000L);
        assertThat(read.backoff().recentFailuresMillis()).containsExactly(1_700_000_000_000L, 1_700_000_001_000L);
        // a later KILL keeps the time of the first request
        assertThat(read.withKillIntent(1_700_000_009_000L).killRequestedAtMillis()).isEqualTo(1_700_000_001_000L);

        String older = "{\"schemaVersion\":1,\"taskId\":\"t1\",\"jobId\":\"j1\",\"instance\":0,"
                + "\"state\":\"TASK_RUNNING\",\"updatedAtMillis\":5,\"desiredState\":\"KILLED\",\"attempt\":1}";
        TaskRecord old = codec.decode(older.getBytes(StandardCharsets.UTF_8), TaskRecord.class);
        assertThat(old.killRequestedAtMillis()).isNull();
        assertThat(old.backoff()).isNull();
        assertThat(old.killRequestedAtOrUpdated()).isEqualTo(5L);
        assertThat(new String(codec.encode(Records.task(8)), StandardCharsets.UTF_8))
                .doesNotContain("killRequestedAtMillis").doesNotContain("backoff");
    }

    @Test
    void healthChecksDeploymentsAndRunVersionsRoundTripAndOlderRecordsReadAsVersionZero() {
        HealthCheckSpec check = new HealthCheckSpec(HealthCheckType.HTTP, null, 0, "/health", 1, 2, 3, 4, 5);
        JobRecord base = Records.job("web");
        Deployment d = Deployment.start("web", DeploymentKind.UPDATE, 3, 7, 1_000, 7, "test").withStep(2_000);
        JobRecord job = new JobRecord("web", base.kind(), base.command(), base.environment(),
                new ResourceSpec(0.1, 16, 0, 1), 3, base.constraints(), base.restartPolicy(),
                base.killGracePeriodMillis(), base.goal(), 8, 1, 2, check, new UpgradeStrategy(0.5, 0, 5, 2, 60), 7,
                base.runSpec(), d, List.of(d.ended(DeploymentResult.FAILED, "why", 3_000)));
        JobRecord read = codec.decode(codec.encode(job), JobRecord.class);
        assertThat(read).isEqualTo(job);
        assertThat(read.deployment().steps()).isEqualTo(1);
        assertThat(read.previousRun().command()).isEqualTo(base.command());

        TaskRecord task = Records.task(3).launchedAs(7, true).withStatus(TaskState.TASK_RUNNING, null, true, 9);
        TaskRecord readTask = codec.decode(codec.encode(task), TaskRecord.class);
        assertThat(readTask).isEqualTo(task);
        assertThat(readTask.healthy()).isTrue();
        assertThat(readTask.healthChangedAtMillis()).isEqualTo(9L);

        // A record of before deployments: version 0, no check, not health-checked, and it stays small.
        String unchecked = new String(codec.encode(Records.task(4)), StandardCharsets.UTF_8);
        assertThat(unchecked).doesNotContain("runVersion").doesNotContain("healthChecked").doesNotContain("healthy");
        JobRecord oldJob = codec.decode(new String(codec.encode(base), StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_8), JobRecord.class);
        assertThat(oldJob.runVersion()).isZero();
        assertThat(oldJob.upgradeStrategy()).isEqualTo(UpgradeStrategy.DEFAULT);
        assertThat(oldJob.deploymentHistory()).isEmpty();
    }

    @Test
    void garbageAndInvalidRecordsFailWithAReason() {
        assertThatThrownBy(() -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8), TaskRecord.class))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("not a valid TaskRecord");
        assertThatThrownBy(() -> codec.decode(new byte[0], JobRecord.class))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decode("{\"taskId\":\"a/b\",\"jobId\":\"j\"}".getBytes(StandardCharsets.UTF_8),
                TaskRecord.class))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("task id");
        assertThatThrownBy(() -> codec.decode("{\"id\":\"j\"}".getBytes(StandardCharsets.UTF_8), JobRecord.class))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("has no kind");
    }

    @Test
    void invalidDefinitionsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new ResourceSpec(0, 64, 0, 0)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> new Constraint("zone", ConstraintOperator.MAX_PER, "zero"))
                .hasMessageContaining("positive integer");
        assertThatThrownBy(() -> new Constraint("rack", ConstraintOperator.LIKE, "[unclosed"))
                .hasMessageContaining("regular expression");
        assertThatThrownBy(() -> new CommandSpec(true, "echo", List.of("x"))).hasMessageContaining("shell");
    }
}
