package io.beehive.scheduler.app;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import org.apache.curator.test.TestingServer;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ZooKeeper (curator-test) and a real local Mesos cluster (agents running processes), shared by the replicas
 * of one test class. Replicas are the real application on random ports, configured from {@code test.yml}.
 */
final class AppFixture implements AutoCloseable {
    static final String CONFIG = ResourceHelpers.resourceFilePath("io/beehive/scheduler/app/test.yml");

    final TestingServer zookeeper;
    final LocalCluster cluster;
    private final List<DropwizardTestSupport<BeehiveConfiguration>> replicas = new ArrayList<>();

    AppFixture() {
        try {
            this.zookeeper = new TestingServer(true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        this.cluster = LocalCluster.start(LocalClusterConfig.builder().agents(2)
                .statusUpdateRetryInitial(Duration.ofMillis(500)).statusUpdateRetryMax(Duration.ofSeconds(2))
                .allocationInterval(Duration.ofMillis(200)).build());
    }

    String masters() {
        URI leader = cluster.leaderUri();
        return leader.getHost() + ":" + leader.getPort();
    }

    /** The overrides that point a replica at this fixture's ZooKeeper and Mesos. */
    ConfigOverride[] overrides(ConfigOverride... extra) {
        List<ConfigOverride> all = new ArrayList<>();
        all.add(ConfigOverride.config("zookeeper.connect", zookeeper::getConnectString));
        all.add(ConfigOverride.config("mesos.masters", this::masters));
        all.addAll(List.of(extra));
        return all.toArray(ConfigOverride[]::new);
    }

    /** A replica (not started); closed with the fixture. */
    DropwizardTestSupport<BeehiveConfiguration> replica(ConfigOverride... extra) {
        DropwizardTestSupport<BeehiveConfiguration> r = new DropwizardTestSupport<>(BeehiveApplication.class, CONFIG,
                overrides(extra));
        replicas.add(r);
        return r;
    }

    @Override
    public void close() throws Exception {
        // Newest first: each replica restores on after() the system properties (dw.*) it found at before(), so
        // stopping in start order would leave the first replica's overrides set for later test classes.
        for (int i = replicas.size() - 1; i >= 0; i--) {
            replicas.get(i).after();
        }
        cluster.close();
        zookeeper.close();
    }
}
