package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.LastStatus;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a server with the default jute.maxbuffer (1 MB): nothing here raises it. */
class LargeBatchTest extends LeaderTestBase {
    @Test
    void aBatchOverOneMegabyteIsSplitIntoFencedTransactionsAndLandsWhole() throws Exception {
        // About 6 MB of records: one multi-op this size would be refused by ZooKeeper (and drop the connection).
        // 12,000 tasks also put about 47 in each bucket, so a load reads each bucket in more than one multi-read.
        List<TaskRecord> tasks = IntStream.range(0, 12_000).mapToObj(Records::task).toList();

        WriteReceipt receipt = store.saveTasks(fence, tasks).get(60, TimeUnit.SECONDS);

        assertThat(receipt.mutations()).isEqualTo(12_000);
        assertThat(receipt.transactions()).isGreaterThanOrEqualTo(6);
        LoadedState loaded = store.loadAll(fence);
        assertThat(loaded.tasks()).containsExactlyInAnyOrderElementsOf(tasks);

        // Overwriting all of them (setData instead of create) splits and lands too.
        List<TaskRecord> killed = tasks.stream().map(t -> t.withKillIntent(9)).toList();
        assertThat(store.saveTasks(fence, killed).get(60, TimeUnit.SECONDS).transactions()).isGreaterThanOrEqualTo(3);
        assertThat(store.loadAll(fence).tasks()).containsExactlyInAnyOrderElementsOf(killed);
    }

    @Test
    void anOversizedRecordIsRefusedUpFrontAndNothingOfItsBatchLands() throws Exception {
        JobRecord small = Records.job("small");
        JobRecord huge = withEnvironment(Records.job("huge"), Map.of("BLOB", "x".repeat(1_100_000)));
        List<TaskRecord> tasks = IntStream.range(0, 3_000).mapToObj(Records::task).toList();

        assertThatThrownBy(() -> store.write(fence, store.batch().putJob(small).putTasks(tasks).putJob(huge))
                .get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("/beehive/jobs/huge");

        assertThat(client.getChildren().forPath("/beehive/jobs")).isEmpty();
        assertThat(store.loadAll(fence).tasks()).isEmpty();
        // The writer goes on working after a refusal.
        store.saveJob(fence, small).get(30, TimeUnit.SECONDS);
        assertThat(store.readJob("small").get(30, TimeUnit.SECONDS)).contains(small);
    }

    @Test
    void aTaskRecordOverItsSizeCapIsRefusedWhenAddedToABatch() {
        TaskRecord base = Records.task(1);
        TaskRecord bloated = new TaskRecord(base.taskId(), base.jobId(), 0, base.agentId(), base.hostname(),
                base.state(), base.lastStatus(), 0, 0, base.desiredState(), 0, 1,
                IntStream.range(0, 4_000).map(p -> 30_000 + p).boxed().toList());
        WriteBatch batch = store.batch();
        assertThatThrownBy(() -> batch.putTask(bloated)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining(base.taskId());
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void aLongStatusMessageIsTruncatedSoTheRecordStaysSmall() {
        LastStatus status = new LastStatus("u", "y".repeat(100_000), null, null, 0);
        assertThat(status.message()).hasSize(LastStatus.MAX_MESSAGE_CHARS).endsWith("...");
    }

    @Test
    void aBucketWhoseValuesAreTooBigForOneAnswerIsReadRecordByRecord() throws Exception {
        List<TaskRecord> tasks = IntStream.range(0, 2_000).mapToObj(Records::task).toList();
        store.saveTasks(fence, tasks).get(60, TimeUnit.SECONDS);
        // Two foreign 700 KB values in one bucket: a multi-read of both would answer 1.4 MB, over jute.maxbuffer.
        String bucket = store.layout().bucket(0);
        client.create().forPath(bucket + "/foreign-1", new byte[700_000]);
        client.create().forPath(bucket + "/foreign-2", new byte[700_000]);

        LoadedState loaded = store.loadAll(fence);

        assertThat(loaded.tasks()).containsExactlyInAnyOrderElementsOf(tasks);
        assertThat(loaded.quarantined()).extracting(QuarantinedRecord::originalPath)
                .containsExactlyInAnyOrder(bucket + "/foreign-1", bucket + "/foreign-2");
        assertThat(loaded.quarantined()).allMatch(QuarantinedRecord::moved);
    }

    private static JobRecord withEnvironment(JobRecord job, Map<String, String> environment) {
        return new JobRecord(job.id(), job.kind(), job.command(), environment, job.resources(), job.instances(),
                job.constraints(), job.restartPolicy(), job.killGracePeriodMillis(), job.goal(), job.version(),
                job.createdAtMillis(), job.updatedAtMillis());
    }
}
