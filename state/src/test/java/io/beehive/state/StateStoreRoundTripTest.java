package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.LastStatus;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.TermStatus;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StateStoreRoundTripTest extends LeaderTestBase {
    @Test
    void everyRecordTypeSurvivesARoundTripThroughZooKeeper() throws Exception {
        JobRecord job = Records.job("web");
        List<TaskRecord> tasks = IntStream.range(0, 50).mapToObj(Records::task).toList();
        BlacklistEntry entry = new BlacklistEntry("agent-S7", "kernel panics", 1_700_000_000_000L);
        store.saveFrameworkId(fence, "4f1a-0000").get(30, TimeUnit.SECONDS);
        store.saveJob(fence, job).get(30, TimeUnit.SECONDS);
        WriteReceipt receipt = store.saveTasks(fence, tasks).get(30, TimeUnit.SECONDS);
        store.blacklistAgent(fence, entry).get(30, TimeUnit.SECONDS);

        assertThat(receipt).isEqualTo(new WriteReceipt(50, 1));
        assertThat(store.readFrameworkId().get(30, TimeUnit.SECONDS)).contains("4f1a-0000");
        assertThat(store.readJob("web").get(30, TimeUnit.SECONDS)).contains(job);
        assertThat(store.readTask(tasks.get(7).taskId()).get(30, TimeUnit.SECONDS)).contains(tasks.get(7));
        assertThat(store.readJob("absent").get(30, TimeUnit.SECONDS)).isEmpty();

        // A second store on another client (a new leader) sees exactly the same.
        LoadedState loaded = zk.leader().loaded();
        assertThat(loaded.frameworkId()).contains("4f1a-0000");
        assertThat(loaded.jobs()).containsExactly(job);
        assertThat(loaded.tasks()).containsExactlyInAnyOrderElementsOf(tasks);
        assertThat(loaded.blacklist()).containsExactly(entry);
        assertThat(loaded.quarantined()).isEmpty();
        assertThat(new String(client.getData().forPath("/beehive/schema"), StandardCharsets.UTF_8)).isEqualTo("1");
    }

    @Test
    void aStandbysSampleReadDecodesAFewRecordsAndChangesNothing() throws Exception {
        CuratorFramework other = zk.client();
        assertThat(zk.store(other).readSample()).as("nothing stored yet, not even the layout").isZero();
        store.saveJob(fence, Records.job("web")).get(30, TimeUnit.SECONDS);
        store.saveTasks(fence, IntStream.range(0, 50).mapToObj(Records::task).toList()).get(30, TimeUnit.SECONDS);
        StateStore standby = zk.store(other);
        client.create().forPath("/marker-1");
        long before = client.checkExists().forPath("/marker-1").getCzxid();

        // One job, and a chunk of tasks from the first bucket that has any (fewer than all 50).
        int sampled = standby.readSample();
        assertThat(sampled).isBetween(2, 1 + StateLoader.RECORDS_PER_READ);
        // ZooKeeper numbers every write: the next one after the sample is the very next number.
        client.create().forPath("/marker-2");
        assertThat(client.checkExists().forPath("/marker-2").getCzxid()).isEqualTo(before + 1);
    }

    @Test
    void termStatusIsReadableByAnyReplicaAndFencedLikeEveryRecord() throws Exception {
        assertThat(store.readTermStatus().get(30, TimeUnit.SECONDS)).isEmpty();
        TermStatus status = TermStatus.elected("10.0.0.1:8080", fence.epoch(), 1_700_000_000_000L)
                .subscribed("4f1a-0000", 1_700_000_001_000L, 1_234L)
                .reconciled(1_700_000_002_000L);
        store.saveTermStatus(fence, status).get(30, TimeUnit.SECONDS);

        CuratorFramework other = zk.client();
        assertThat(zk.store(other).readTermStatus().get(30, TimeUnit.SECONDS)).contains(status);

        // A successor takes office: the old term's status write no longer lands.
        client.delete().forPath(fence.latchPath());
        TermStatus stale = status.reconciled(1_800_000_000_000L);
        assertThat(store.saveTermStatus(fence, stale)).failsWithin(30, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(NotLeaderException.class);
        assertThat(zk.store(other).readTermStatus().get(30, TimeUnit.SECONDS)).contains(status);
    }

    @Test
    void putOverwritesAndDeleteToleratesAbsentNodes() throws Exception {
        TaskRecord task = Records.task(1);
        store.saveTasks(fence, List.of(task)).get(30, TimeUnit.SECONDS);
        TaskRecord finished = task.withStatus(TaskState.TASK_FINISHED,
                new LastStatus("u2", "done", null, "SOURCE_EXECUTOR", 5), 6);
        store.saveTasks(fence, List.of(finished)).get(30, TimeUnit.SECONDS);
        assertThat(store.readTask(task.taskId()).get(30, TimeUnit.SECONDS)).contains(finished);

        store.saveJob(fence, Records.job("batch")).get(30, TimeUnit.SECONDS);
        WriteBatch batch = store.batch().deleteTask(task.taskId()).deleteTask("never-existed").deleteJob("batch")
                .deleteJob("neither");
        store.write(fence, batch).get(30, TimeUnit.SECONDS);

        assertThat(store.readTask(task.taskId()).get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(store.readJob("batch").get(30, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void theLastChangeToAPathInOneBatchWins() throws Exception {
        TaskRecord task = Records.task(3);
        store.write(fence, store.batch().putTask(task).deleteTask(task.taskId())).get(30, TimeUnit.SECONDS);
        assertThat(store.readTask(task.taskId()).get(30, TimeUnit.SECONDS)).isEmpty();

        JobRecord job = Records.job("svc");
        JobRecord deleting = job.withGoal(JobGoal.DELETED, 9);
        store.write(fence, store.batch().putJob(job).putJob(deleting)).get(30, TimeUnit.SECONDS);
        assertThat(store.readJob("svc").get(30, TimeUnit.SECONDS)).contains(deleting);
    }

    @Test
    void writesLandAndCompleteInSubmissionOrder() throws Exception {
        TaskRecord task = Records.task(5);
        List<Integer> completions = new CopyOnWriteArrayList<>();
        List<CompletableFuture<WriteReceipt>> futures = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            int attempt = i;
            TaskRecord version = new TaskRecord(task.taskId(), task.jobId(), task.instance(), task.agentId(),
                    task.hostname(), task.state(), task.lastStatus(), task.launchedAtMillis(), i,
                    task.desiredState(), task.killAttempts(), attempt, task.ports());
            futures.add(store.saveTasks(fence, List.of(version)).whenComplete((r, e) -> completions.add(attempt)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(completions).isEqualTo(IntStream.rangeClosed(1, 200).boxed().toList());
        Optional<TaskRecord> stored = store.readTask(task.taskId()).get(30, TimeUnit.SECONDS);
        assertThat(stored).map(TaskRecord::attempt).contains(200);
    }

    @Test
    void loadingTwiceIsIdempotentAndCreatesNothingNew() throws Exception {
        int before = client.getChildren().forPath("/beehive").size();
        LoadedState again = store.loadAll(fence);
        assertThat(again.tasks()).isEmpty();
        assertThat(client.getChildren().forPath("/beehive")).hasSize(before);
        assertThat(client.getChildren().forPath("/beehive/tasks")).hasSize(256);
    }
}
