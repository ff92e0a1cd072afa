package io.beehive.scheduler.core;

import io.beehive.local.LocalClusterConfig;
import io.beehive.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A test that runs the core against a fresh ZooKeeper and local Mesos cluster of its own for each test method:
 * {@link #fx} builds replicas, {@link #zk} reads what they made durable, {@link #workDir} holds the task sandboxes.
 */
abstract class CoreClusterTest {
    private final int agents;

    @TempDir
    Path workDir;
    CoreFixture fx;
    StateStore zk;

    CoreClusterTest(int agents) {
        this.agents = agents;
    }

    @BeforeEach
    void startCluster() throws Exception {
        fx = new CoreFixture(LocalClusterConfig.builder().workDir(workDir).agents(agents));
        zk = fx.inspector();
    }

    @AfterEach
    void stopCluster() throws Exception {
        fx.close();
    }

    /** A replica with the fast test configuration, started and waited for until it leads (ACTIVE). */
    BeehiveScheduler leadingReplica(String name) {
        BeehiveScheduler s = fx.replica(name, CoreFixture.fastConfig().build());
        s.start();
        await().atMost(Duration.ofSeconds(40)).until(() -> s.phase() == LifecyclePhase.ACTIVE);
        return s;
    }
}
