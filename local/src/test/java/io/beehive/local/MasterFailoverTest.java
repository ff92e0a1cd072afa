package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master restart in place (no ZooKeeper): the new master has a new id, closes every stream, knows the framework
 * only from the agent's report (403 until it re-subscribes), and the task survives with its state.
 */
class MasterFailoverTest {

    @TempDir
    Path workDir;

    @Test
    void taskSurvivesAMasterFailoverAndIsReconciledAfterResubscription() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(1)
                .executorMode(LocalClusterConfig.ExecutorMode.TIMER).heartbeatInterval(Duration.ofSeconds(1))
                .allocationInterval(Duration.ofMillis(100)).build())) {
            String info = "{\"user\":\"root\",\"name\":\"survivor\",\"failover_timeout\":3600,"
                + "\"capabilities\":[{\"type\":\"PARTITION_AWARE\"}]}";
            String frameworkId;
            String oldMasterId = cluster.masterId();
            try (RawScheduler first = new RawScheduler(cluster.leaderUri())) {
                first.subscribe(info);
                frameworkId = first.frameworkId;
                first.launch(first.awaitOffer(), "long-1", "sleep 1000", 0.1, 32);
                first.acknowledge(first.awaitUpdate("long-1", "TASK_STARTING"));
                first.acknowledge(first.awaitUpdate("long-1", "TASK_RUNNING"));

                cluster.failoverMaster();
                assertThat(cluster.masterId()).isNotEqualTo(oldMasterId);
                await().atMost(Duration.ofSeconds(30)).until(() -> first.streamEnded);

                // known only from the agent's report (or not yet at all): never 202 with the old stream
                await().atMost(Duration.ofSeconds(30)).until(() -> first.call("REVIVE", null, null).statusCode() == 403);
            }
            try (RawScheduler second = new RawScheduler(cluster.leaderUri())) {
                JsonNode subscribed = second.subscribe(info, frameworkId);
                assertThat(subscribed.path("type").asText()).isEqualTo("SUBSCRIBED");
                assertThat(subscribed.path("subscribed").path("master_info").path("id").asText())
                    .isEqualTo(cluster.masterId());
                // the master stays silent while the agent has not re-registered: retry, as a scheduler must
                JsonNode answer = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (answer == null && System.nanoTime() < deadline) {
                    second.call("RECONCILE", "reconcile", "{\"tasks\":[{\"task_id\":{\"value\":\"long-1\"},"
                        + "\"agent_id\":{\"value\":\"" + cluster.agentIds().get(0) + "\"}}]}");
                    JsonNode e = second.events.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                    while (e != null && answer == null) {
                        if ("REASON_RECONCILIATION".equals(e.path("update").path("status").path("reason").asText())) {
                            answer = e;
                        } else {
                            e = second.events.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                        }
                    }
                }
                assertThat(answer).isNotNull();
                assertThat(answer.path("update").path("status").path("task_id").path("value").asText()).isEqualTo("long-1");
                assertThat(answer.path("update").path("status").path("state").asText()).isEqualTo("TASK_RUNNING");
                assertThat(answer.path("update").path("status").path("reason").asText()).isEqualTo("REASON_RECONCILIATION");
                assertThat(answer.path("update").path("status").path("message").asText())
                    .isEqualTo("Reconciliation: Latest task state");
            }
        }
    }
}
