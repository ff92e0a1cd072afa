package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gap: the standby's only ZooKeeper server goes away while the leader, on the other two servers of the ensemble,
 * goes on writing. The standby's session survives, but the changes made while it was disconnected are not replayed
 * to its watch: the mirror must notice and read everything again when it reconnects.
 */
class StateMirrorGapTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestingCluster ensemble;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startEnsemble() throws Exception {
        ensemble = new TestingCluster(3);
        ensemble.start();
    }

    @AfterEach
    void stopEnsemble() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        ensemble.close();
    }

    @Test
    void changesMadeWhileAStandbyWasDisconnectedAreReadWhenItReconnects() throws Exception {
        List<InstanceSpec> servers = new ArrayList<>(ensemble.getInstances());
        InstanceSpec standbysServer = servers.get(0);
        String others = servers.subList(1, 3).stream().map(InstanceSpec::getConnectString)
                .collect(Collectors.joining(","));
        CuratorFramework leaderClient = client(others);
        StateStore leader = store(leaderClient);
        Fence fence = ZooKeeperFixture.fence(leaderClient);
        leader.loadAll(fence);
        CuratorFramework standbyClient = client(standbysServer.getConnectString());
        StateMirror mirror = store(standbyClient).startMirror();
        assertThat(mirror.awaitLoaded(PATIENCE)).isTrue();
        leader.saveTasks(fence, List.of(Records.task(1))).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> mirror.tasks().size() == 1 && mirror.trusted());
        long session = standbyClient.getZookeeperClient().getZooKeeper().getSessionId();

        assertThat(ensemble.killServer(standbysServer)).isTrue();
        await().atMost(PATIENCE).until(() -> !mirror.trusted());
        TaskRecord missed = Records.task(2);
        leader.saveTasks(fence, List.of(missed)).get(30, TimeUnit.SECONDS);
        leader.deleteTasks(fence, List.of(Records.task(1).taskId())).get(30, TimeUnit.SECONDS);
        assertThat(ensemble.restartServer(standbysServer)).isTrue();

        await().atMost(PATIENCE).until(() -> mirror.trusted() && mirror.resyncs() == 1);
        assertThat(standbyClient.getZookeeperClient().getZooKeeper().getSessionId()).as("same session")
                .isEqualTo(session);
        assertThat(mirror.tasks()).containsExactly(missed);
        TaskRecord after = Records.task(3);
        leader.saveTasks(fence, List.of(after)).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> mirror.task(after.taskId()).isPresent());
    }

    private CuratorFramework client(String connect) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(30_000)
                .connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(100, 10)).build();
        client.start();
        closeables.add(0, client);
        return client;
    }

    private StateStore store(CuratorFramework client) {
        StateStore store = StateStore.open(client, StateStoreConfig.withRoot(ZooKeeperFixture.ROOT));
        closeables.add(0, store);
        return store;
    }
}
