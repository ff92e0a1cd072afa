package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.beehive.local.zk.EmbeddedZooKeeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two masters contending in a real (embedded) ZooKeeper: the standby redirects, a failover elects the other. */
class ZooKeeperElectionTest {

    @TempDir
    Path workDir;

    @Test
    void standbyRedirectsAndFailoverElectsTheOtherMasterWithANewId() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, workDir.resolve("zk"));
             LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(1)
                 .masterCount(2).zookeeper(zk.connectString(), "/mesos").heartbeatInterval(Duration.ofSeconds(1))
                 .build())) {
            List<URI> masters = cluster.masterUris();
            URI leader = masters.get(0);
            URI standby = masters.get(1);
            String firstId = cluster.masterId();

            ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, e -> { });
            try {
                List<String> children = client.getChildren("/mesos", false);
                assertThat(children).hasSize(2).allMatch(c -> c.startsWith("json.info_"));
                String lowest = children.stream().sorted().findFirst().orElseThrow();
                JsonNode info = RawScheduler.MAPPER.readTree(client.getData("/mesos/" + lowest, false, null));
                assertThat(info.path("id").asText()).isEqualTo(firstId);
                assertThat(info.path("address").path("port").asInt()).isEqualTo(leader.getPort());
            } finally {
                client.close();
            }

            HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    standby.resolve("/api/v1/scheduler")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.statusCode()).isEqualTo(307);
            assertThat(redirect.headers().firstValue("Location"))
                .contains("//localhost:" + leader.getPort() + "/master/api/v1/scheduler");

            try (RawScheduler scheduler = new RawScheduler(leader)) {
                scheduler.subscribe("{\"user\":\"root\",\"name\":\"ha\",\"failover_timeout\":3600}");
                cluster.failoverMaster();
                assertThat(cluster.masterId()).isNotEqualTo(firstId);
                assertThat(cluster.leaderUri()).isEqualTo(standby);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.streamEnded);
            }
            try (RawScheduler again = new RawScheduler(standby)) {
                JsonNode subscribed = again.subscribe("{\"user\":\"root\",\"name\":\"ha2\"}");
                assertThat(subscribed.path("subscribed").path("master_info").path("id").asText()).isEqualTo(cluster.masterId());
                assertThat(again.awaitOffer().path("agent_id").path("value").asText()).isEqualTo(cluster.agentIds().get(0));
            }
        }
    }
}
