package io.beehive.scheduler.mesos;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MasterDetectorTest {

    @Test
    void staticListMovesOnWhenAMasterFailsAndFollowsRedirects() {
        MasterDetector d = MasterDetector.fromSpec("m1:5050, m2:5051", "http");
        assertThat(d.current()).contains(URI.create("http://m1:5050"));
        d.failed(URI.create("http://m1:5050"));
        assertThat(d.current()).contains(URI.create("http://m2:5051"));
        d.redirectedTo(URI.create("http://m3:5052"));
        assertThat(d.current()).contains(URI.create("http://m3:5052"));
        d.failed(URI.create("http://m3:5052"));
        assertThat(d.current()).contains(URI.create("http://m2:5051"));
        d.failed(URI.create("http://m2:5051"));
        assertThat(d.current()).contains(URI.create("http://m1:5050"));
    }

    @Test
    void badSpecsGetClearErrors() {
        assertThatThrownBy(() -> MasterDetector.fromSpec("", "http")).hasMessageContaining("empty");
        assertThatThrownBy(() -> MasterDetector.fromSpec("m1", "http")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> MasterDetector.fromSpec("m1:x", "http")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> MasterDetector.fromSpec("zk://h:2181", "http")).hasMessageContaining("zk://");
    }

    @Test
    void protocolRelativeRedirectKeepsTheScheme() {
        assertThat(MasterUris.redirectBase(URI.create("https://m1:5050/api/v1/scheduler"),
                "//m2:5051/master/api/v1/scheduler")).isEqualTo(URI.create("https://m2:5051"));
        assertThat(MasterUris.redirectBase(URI.create("http://m1:5050/api/v1/scheduler"),
                "http://m3:5052/master/api/v1/scheduler")).isEqualTo(URI.create("http://m3:5052"));
        assertThatThrownBy(() -> MasterUris.redirectBase(URI.create("http://m1:5050/x"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masterInfoAddressWinsThenLegacyFieldsThenPid() {
        String real = "{\"address\":{\"hostname\":\"master-1\",\"ip\":\"10.0.0.11\",\"port\":5050},"
                + "\"capabilities\":[{\"type\":\"AGENT_UPDATE\"},{}],\"hostname\":\"other\",\"id\":\"x\","
                + "\"ip\":184549386,\"pid\":\"master@10.0.0.11:5050\",\"port\":5050,\"version\":\"1.11.0\"}";
        assertThat(ZooKeeperMasterDetector.addressOf(real, "http")).isEqualTo(URI.create("http://master-1:5050"));
        assertThat(ZooKeeperMasterDetector.addressOf("{\"address\":{\"ip\":\"10.0.0.12\",\"port\":5051}}", "http"))
                .isEqualTo(URI.create("http://10.0.0.12:5051"));
        assertThat(ZooKeeperMasterDetector.addressOf("{\"hostname\":\"h\",\"port\":5052,\"id\":\"x\",\"ip\":1}", "http"))
                .isEqualTo(URI.create("http://h:5052"));
        assertThat(ZooKeeperMasterDetector.addressOf("{\"pid\":\"master@10.0.0.13:5053\"}", "https"))
                .isEqualTo(URI.create("https://10.0.0.13:5053"));
        assertThatThrownBy(() -> ZooKeeperMasterDetector.addressOf("{}", "http"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zooKeeperLowestSequenceIsTheLeaderAndChangesAreSeen() throws Exception {
        try (TestingServer zk = new TestingServer();
             CuratorFramework curator = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            curator.start();
            curator.create().creatingParentsIfNeeded().forPath("/mesos/log_replicas", new byte[0]);
            // the local masters' agent registry lives beside the election too (local/README.md)
            curator.create().creatingParentsIfNeeded().forPath("/mesos/registry/agents/a-S0",
                    "{\"agent_id\":\"a-S0\",\"hostname\":\"agent\",\"port\":5059}".getBytes(StandardCharsets.UTF_8));
            String first = curator.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath("/mesos/json.info_", info("m1", 5050));
            curator.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/mesos/json.info_", info("m2", 5051));
            try (MasterDetector d = MasterDetector.fromSpec("zk://" + zk.getConnectString() + "/mesos", "http")) {
                AtomicInteger changes = new AtomicInteger();
                d.onLeaderChange(changes::incrementAndGet);
                await().atMost(Duration.ofSeconds(30)).until(() -> d.current().equals(Optional.of(URI.create("http://m1:5050"))));
                int before = changes.get();
                curator.delete().forPath(first);
                await().atMost(Duration.ofSeconds(30)).until(() -> d.current().equals(Optional.of(URI.create("http://m2:5051"))));
                assertThat(changes.get()).isGreaterThan(before);
            }
        }
    }

    private static byte[] info(String host, int port) {
        return ("{\"address\":{\"hostname\":\"" + host + "\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},\"id\":\"x\","
                + "\"ip\":16777343,\"port\":" + port + "}").getBytes(StandardCharsets.UTF_8);
    }
}
