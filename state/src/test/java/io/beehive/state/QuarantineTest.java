package io.beehive.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuarantineTest extends LeaderTestBase {
    @Test
    void unreadableRecordsAreMovedAsideWithTheirReasonAndTheRestLoads() throws Exception {
        List<TaskRecord> good = IntStream.range(0, 200).mapToObj(Records::task).toList();
        store.saveTasks(fence, good).get(30, TimeUnit.SECONDS);
        // More jobs than one multi-read takes, so the bad one shares a read with good ones.
        List<String> goodJobs = IntStream.range(0, 3 * StateLoader.RECORDS_PER_READ)
                .mapToObj(i -> "good-job-" + i).toList();
        for (String id : goodJobs) {
            store.saveJob(fence, Records.job(id)).get(30, TimeUnit.SECONDS);
        }

        // Corruption as another client (or a bug, or a bad restore) would leave it, bypassing the store.
        byte[] garbage = {(byte) 0xde, (byte) 0xad, '{', 0};
        String garbagePath = store.layout().task("garbled");
        client.create().forPath(garbagePath, garbage);
        String wrongTypePath = store.layout().task("not-a-task");
        client.create().forPath(wrongTypePath, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        TaskRecord elsewhere = Records.task(999);
        String misnamedPath = store.layout().task("other-name");
        client.create().forPath(misnamedPath, new RecordCodec().encode(elsewhere));
        String badJobPath = store.layout().job("bad-job");
        client.create().forPath(badJobPath, "{\"id\":\"bad-job\",\"kind\":\"SERVICE\"}".getBytes(StandardCharsets.UTF_8));

        LoadedState loaded = store.loadAll(fence);

        assertThat(loaded.tasks()).containsExactlyInAnyOrderElementsOf(good);
        assertThat(loaded.jobs()).extracting(j -> j.id()).containsExactlyInAnyOrderElementsOf(goodJobs);
        Map<String, QuarantinedRecord> byPath = loaded.quarantined().stream()
                .collect(Collectors.toMap(QuarantinedRecord::originalPath, q -> q));
        assertThat(byPath).containsOnlyKeys(garbagePath, wrongTypePath, misnamedPath, badJobPath);
        assertThat(byPath.values()).allMatch(QuarantinedRecord::moved);
        assertThat(byPath.get(wrongTypePath).reason()).contains("not a valid TaskRecord");
        assertThat(byPath.get(misnamedPath).reason()).contains("other-name").contains(elsewhere.taskId());
        assertThat(byPath.get(badJobPath).reason()).contains("has no command");

        // The originals are gone; the quarantine holds their exact bytes and a reason that says where from.
        for (QuarantinedRecord q : byPath.values()) {
            assertThat(client.checkExists().forPath(q.originalPath())).isNull();
        }
        String moved = byPath.get(garbagePath).quarantinePath();
        assertThat(client.getData().forPath(moved)).isEqualTo(garbage);
        JsonNode reason = new ObjectMapper().readTree(client.getData().forPath(moved + "/reason"));
        assertThat(reason.get("originalPath").asText()).isEqualTo(garbagePath);
        assertThat(reason.get("reason").asText()).isNotBlank();
        assertThat(reason.get("leaderEpoch").asLong()).isEqualTo(fence.epoch());

        // The next load is clean.
        LoadedState again = store.loadAll(fence);
        assertThat(again.quarantined()).isEmpty();
        assertThat(again.tasks()).hasSize(200);
        assertThat(client.getChildren().forPath("/beehive/quarantine")).hasSize(4);
    }

    @Test
    void aDeposedLeadersLoadFailsAsNotLeaderAndMovesNothing() throws Exception {
        String garbagePath = store.layout().task("garbled");
        client.create().forPath(garbagePath, "nope".getBytes(StandardCharsets.UTF_8));
        Fence stale = ZooKeeperFixture.fence(client);
        client.delete().forPath(stale.latchPath());

        assertThatThrownBy(() -> store.loadAll(stale)).isInstanceOf(NotLeaderException.class);
        assertThat(client.checkExists().forPath(garbagePath)).isNotNull();
        assertThat(client.getChildren().forPath("/beehive/quarantine")).isEmpty();
    }

    @Test
    void aRecordReadDirectlyThatIsUnreadableFailsTheReadWithTheReason() throws Exception {
        client.create().forPath(store.layout().task("garbled"), "nope".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.readTask("garbled").get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(UnreadableRecordException.class).hasMessageContaining("TaskRecord");
    }
}
