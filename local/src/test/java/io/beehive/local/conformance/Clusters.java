package io.beehive.local.conformance;

import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Cluster configurations of the suite: real behaviour, short clocks (brief: heartbeat 200 ms, retry 200 ms, ...). */
final class Clusters {

    private Clusters() {}

    /** The agent of the recorded traces: same hostname and resources, so offers compare byte for byte. */
    static AgentSpec traceAgent() {
        return new AgentSpec("localhost", 2, 23081, 252899, List.<long[]>of(new long[] {31000, 32000}), Map.of());
    }

    static LocalClusterConfig.Builder fast(Path workDir) {
        return LocalClusterConfig.builder()
                .workDir(workDir)
                .heartbeatInterval(Duration.ofMillis(200))
                .allocationInterval(Duration.ofMillis(100))
                .statusUpdateRetryInitial(Duration.ofMillis(200))
                .statusUpdateRetryMax(Duration.ofSeconds(2))
                .agentPingTimeout(Duration.ofMillis(100))
                .maxAgentPingTimeouts(3);
    }
}
