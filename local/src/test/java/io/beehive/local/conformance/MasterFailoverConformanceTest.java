package io.beehive.local.conformance;

import io.beehive.local.LocalCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * §6 "Non-leader mode" and master failover (§1.7, §3.1, §4.5) with a real ZooKeeper (curator-test) and two masters:
 * the leader's json.info_ node, the standby's 307 with a protocol-relative Location, and what a framework sees when
 * the leader fails over.
 */
class MasterFailoverConformanceTest {

    @TempDir
    Path workDir;
    TestingServer zookeeper;
    LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        zookeeper = new TestingServer(true);
        cluster = LocalCluster.start(Clusters.fast(workDir).agent(Clusters.traceAgent())
                .zookeeper(zookeeper.getConnectString(), "/mesos").masterCount(2).build());
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        zookeeper.close();
    }

    private ZooKeeper zk() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(zookeeper.getConnectString(), 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();
        return zk;
    }

    @Test
    void leaderPublishesItsMasterInfoAsTheLowestJsonInfoNode() throws Exception {
        ZooKeeper zk = zk();
        try {
            List<String> children = zk.getChildren("/mesos", false).stream().filter(c -> c.startsWith("json.info_"))
                    .sorted().toList();
            assertThat(children).isNotEmpty().allMatch(c -> c.matches("json\\.info_\\d{10}"));
            String leaderJson = new String(zk.getData("/mesos/" + children.get(0), false, null), StandardCharsets.UTF_8);
            URI leader = cluster.leaderUri();
            assertThat(leaderJson).startsWith("{").doesNotContain("\n")
                    .contains("\"id\":\"" + cluster.masterId() + "\"")
                    .contains("\"address\":{\"hostname\":\"localhost\",\"ip\":\"127.0.0.1\",\"port\":" + leader.getPort() + "}")
                    .contains("\"pid\":\"master@127.0.0.1:" + leader.getPort() + "\"")
                    .contains("\"version\":\"1.11.0\"");
        } finally {
            zk.close();
        }
    }

    @Test
    void standbyRedirectsEveryRequestWith307ToAProtocolRelativeLocation() {
        URI leader = cluster.leaderUri();
        URI standby = cluster.masterUris().get(1);
        assertThat(standby).isNotEqualTo(leader);
        String location = "//localhost:" + leader.getPort() + "/master/api/v1/scheduler";
        HttpMessage post = HttpWire.post(standby, "application/json",
                Wire.JSON.encode(Calls.subscribe(Calls.framework("redirected").build())), Map.of());
        assertThat(post.status()).isEqualTo(307);
        assertThat(post.header("Location")).contains(location);
        // before the method and content-type checks
        HttpMessage get = HttpWire.exchange(standby, "GET", "/api/v1/scheduler", Map.of("Content-Type", "text/plain"), null);
        assertThat(get.status()).isEqualTo(307);
        assertThat(get.header("Location")).contains(location);
    }

    @Test
    void withNoLeaderInZooKeeperEveryMasterAnswers503NoLeaderElected() throws Exception {
        URI standby = cluster.masterUris().get(1);
        ZooKeeper zk = zk();
        try {
            // an operator (or a lost ZooKeeper session) removes the leader's membership: nobody leads any more
            for (String child : zk.getChildren("/mesos", false)) {
                if (child.startsWith("json.info_")) {
                    zk.delete("/mesos/" + child, -1);
                }
            }
        } finally {
            zk.close();
        }
        await().atMost(ClusterTestBase.LONG).untilAsserted(() -> {
            HttpMessage r = HttpWire.post(standby, "application/json",
                    Wire.JSON.encode(Calls.subscribe(Calls.framework("nobody-leads").build())), Map.of());
            assertThat(r.status()).as("%s", r).isEqualTo(503);
            assertThat(r.bodyText()).isEqualTo("No leader elected");
        });
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void explicitReconciliationIsSilentWhileTheAgentIsStillRecovered_answersOnceItReregisters(Wire wire) {
        String agent = cluster.agentIds().get(0);
        // cut the agent off first, so it cannot re-register with the next leader on its own
        cluster.disconnectAgent(agent);
        cluster.failoverMaster();
        try (RawScheduler fw = RawScheduler.subscribe(cluster.leaderUri(), wire, Calls.partitionAware("recovering").build())) {
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-with-agent", agent));
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-without-agent", null));
            for (int i = 0; i < 5; i++) {
                fw.stream.awaitType(Event.Type.HEARTBEAT);
            }
            // §3.5 case 2: no answer at all while an agent is only known from the registry
            assertThat(fw.stream.typesButHeartbeats()).doesNotContain("UPDATE");

            cluster.healAgent(agent);
            fw.stream.skipToEnd();
            fw.call(Calls.reconcile(fw.frameworkId, "ghost-after", agent));
            TaskStatus answer = fw.stream.await(e -> e.getType() == Event.Type.UPDATE, "reconciliation answer")
                    .getUpdate().getStatus();
            assertThat(answer.getTaskId().getValue()).as("the silent requests were not queued").isEqualTo("ghost-after");
            assertThat(answer.getState()).isEqualTo(TaskState.TASK_GONE);
            assertThat(answer.getMessage()).isEqualTo("Reconciliation: Task is unknown to the agent");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void afterMasterFailoverTheStreamEnds_callsAre403UntilResubscribe_thenTheTaskIsStillThere(Wire wire) {
        String oldMasterId = cluster.masterId();
        FrameworkInfo info = Calls.framework("survives-failover").setFailoverTimeout(3600).build();
        RawScheduler fw = RawScheduler.subscribe(cluster.leaderUri(), wire, info);
        fw.launchRunning("long", "sleep 600");
        cluster.failoverMaster();
        fw.stream.awaitEnd(ClusterTestBase.LONG);
        assertThat(cluster.masterId()).isNotEqualTo(oldMasterId);
        URI newLeader = cluster.leaderUri();

        // the framework is known only from the agent's report: the stale stream id gets 403, not 400
        await().atMost(ClusterTestBase.LONG).untilAsserted(() -> {
            HttpMessage r = HttpWire.post(newLeader, wire.contentType, wire.encode(Calls.revive(fw.frameworkId)),
                    Map.of("Mesos-Stream-Id", fw.stream.streamId()));
            assertThat(r.status()).as("%s", r).isEqualTo(403);
            assertThat(r.bodyText()).isEqualTo("Framework is not subscribed");
        });
        try (RawScheduler back = RawScheduler.subscribe(newLeader, wire, info.toBuilder()
                .setId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fw.frameworkId)).build())) {
            Event subscribed = back.stream.events().get(0);
            assertThat(subscribed.getSubscribed().getMasterInfo().getId()).isEqualTo(cluster.masterId());
            back.call(Calls.reconcile(back.frameworkId, "long", null));
            TaskStatus status = back.stream.awaitReconciliationAnswer();
            assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
        }
    }
}
