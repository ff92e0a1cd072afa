package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.nio.file.Path;

/** {@code mesos.local:} the in-process Mesos cluster started when {@code mesos.masters} is {@code local}. */
public class LocalClusterSection {
    @JsonProperty
    @Min(1)
    @Max(64)
    private int agents = 3;

    @JsonProperty
    @DecimalMin("0.1")
    private double cpusPerAgent = 4;

    @JsonProperty
    @DecimalMin("32")
    private double memMbPerAgent = 4096;

    /** Master port; 0 picks a free one. */
    @JsonProperty
    @Min(0)
    @Max(65535)
    private int masterPort = 5050;

    /** Where agents keep task sandboxes; empty: a temporary directory. */
    @JsonProperty
    private String workDir = "";

    public LocalClusterSection agents(int n) {
        this.agents = n;
        return this;
    }

    public LocalClusterSection masterPort(int port) {
        this.masterPort = port;
        return this;
    }

    public LocalClusterConfig.Builder toBuilder() {
        LocalClusterConfig.Builder b = LocalClusterConfig.builder()
                .masterPort(masterPort)
                // agents on the ports after the master's, as a real cluster on one host (5051+); ephemeral with it
                .agentBasePort(masterPort == 0 ? 0 : masterPort + 1)
                .executorMode(LocalClusterConfig.ExecutorMode.PROCESS);
        for (int i = 0; i < agents; i++) {
            b.agent(AgentSpec.defaults("agent-" + i).withResources(cpusPerAgent, memMbPerAgent, 10_240));
        }
        if (workDir != null && !workDir.isBlank()) {
            b.workDir(Path.of(workDir));
        }
        return b;
    }
}
