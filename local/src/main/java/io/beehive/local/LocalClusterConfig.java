package io.beehive.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that shapes a {@link LocalCluster}. Defaults are the real Mesos 1.11 values, so a cluster built with
 * {@code LocalClusterConfig.builder().build()} behaves as a real one; tests shorten the time constants.
 */
public final class LocalClusterConfig {

    /** How agents run command tasks. */
    public enum ExecutorMode {
        /** {@code sh -c <command>} as a real OS process in its own sandbox directory (stdout/stderr files). */
        PROCESS,
        /** No process: the task moves STARTING → RUNNING on timers and stays RUNNING until killed. For scale tests. */
        TIMER
    }

    private final String hostname;
    private final int masterPort;
    private final int masterCount;
    private final int agentBasePort;
    private final List<AgentSpec> agents;
    private final ExecutorMode executorMode;
    private final Path workDir;
    private final Duration heartbeatInterval;
    private final Duration allocationInterval;
    private final Duration statusUpdateRetryInitial;
    private final Duration statusUpdateRetryMax;
    private final Duration agentPingTimeout;
    private final int maxAgentPingTimeouts;
    private final Duration agentReregisterTimeout;
    private final Duration zookeeperSessionTimeout;
    private final Optional<Duration> offerTimeout;
    private final int maxCompletedFrameworks;
    private final Duration timerExecutorStepDelay;
    private final Optional<String> zookeeperConnect;
    private final String zookeeperPath;

    private LocalClusterConfig(Builder b) {
        this.hostname = b.hostname;
        this.masterPort = b.masterPort;
        this.masterCount = b.masterCount;
        this.agentBasePort = b.agentBasePort;
        this.agents = List.copyOf(b.agents.isEmpty() ? List.of(AgentSpec.defaults(AgentSpec.LOCALHOST)) : b.agents);
        this.executorMode = b.executorMode;
        this.workDir = b.workDir;
        this.heartbeatInterval = b.heartbeatInterval;
        this.allocationInterval = b.allocationInterval;
        this.statusUpdateRetryInitial = b.statusUpdateRetryInitial;
        this.statusUpdateRetryMax = b.statusUpdateRetryMax;
        this.agentPingTimeout = b.agentPingTimeout;
        this.maxAgentPingTimeouts = b.maxAgentPingTimeouts;
        this.agentReregisterTimeout = b.agentReregisterTimeout;
        this.zookeeperSessionTimeout = b.zookeeperSessionTimeout;
        this.offerTimeout = Optional.ofNullable(b.offerTimeout);
        this.maxCompletedFrameworks = b.maxCompletedFrameworks;
        this.timerExecutorStepDelay = b.timerExecutorStepDelay;
        this.zookeeperConnect = Optional.ofNullable(b.zookeeperConnect);
        this.zookeeperPath = b.zookeeperPath;
        if (masterCount < 1) {
            throw new IllegalArgumentException("masterCount must be at least 1");
        }
        if (masterCount > 1 && zookeeperConnect.isEmpty()) {
            throw new IllegalArgumentException("more than one master needs ZooKeeper for master election");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hostname the master and agents advertise (MasterInfo.hostname, Offer.hostname). Default {@code localhost}. */
    public String hostname() { return hostname; }
    /** Port of the first master; 0 = ephemeral. Further masters always use ephemeral ports. */
    public int masterPort() { return masterPort; }
    /** Number of masters; more than one needs ZooKeeper: the others are standbys answering 307 or 503. */
    public int masterCount() { return masterCount; }
    /** Agent i listens on {@code agentBasePort + i}; 0 (the default) = each on an ephemeral port. */
    public int agentBasePort() { return agentBasePort; }
    public List<AgentSpec> agents() { return agents; }
    public ExecutorMode executorMode() { return executorMode; }
    /** Root of agent work directories and task sandboxes; null = a fresh temporary directory. */
    public Path workDir() { return workDir; }
    /** Real Mesos: 15 s. */
    public Duration heartbeatInterval() { return heartbeatInterval; }
    /** Real Mesos: 1 s ({@code --allocation_interval}). */
    public Duration allocationInterval() { return allocationInterval; }
    /** Real Mesos agent: 10 s, doubling. */
    public Duration statusUpdateRetryInitial() { return statusUpdateRetryInitial; }
    /** Real Mesos agent: 10 min. */
    public Duration statusUpdateRetryMax() { return statusUpdateRetryMax; }
    /** Real Mesos: 15 s ({@code --agent_ping_timeout}). */
    public Duration agentPingTimeout() { return agentPingTimeout; }
    /** Real Mesos: 5 ({@code --max_agent_ping_timeouts}). */
    public int maxAgentPingTimeouts() { return maxAgentPingTimeouts; }
    /** Real Mesos: 10 min ({@code --agent_reregister_timeout}). */
    public Duration agentReregisterTimeout() { return agentReregisterTimeout; }
    /** The masters' ZooKeeper session timeout (Mesos' {@code --zk_session_timeout}, 10 s): how long a dead master's node still leads. */
    public Duration zookeeperSessionTimeout() { return zookeeperSessionTimeout; }
    /** Real Mesos: unset (offers never expire). */
    public Optional<Duration> offerTimeout() { return offerTimeout; }
    /** Real Mesos: 50. */
    public int maxCompletedFrameworks() { return maxCompletedFrameworks; }
    /** TIMER mode: delay before each of STARTING and RUNNING. */
    public Duration timerExecutorStepDelay() { return timerExecutorStepDelay; }
    /** If set, masters contend in ZooKeeper and the leader publishes {@code json.info_<seq>} under {@link #zookeeperPath()}. */
    public Optional<String> zookeeperConnect() { return zookeeperConnect; }
    /** Default {@code /mesos}. */
    public String zookeeperPath() { return zookeeperPath; }

    public static final class Builder {
        private String hostname = "localhost";
        private int masterPort = 0;
        private int masterCount = 1;
        private int agentBasePort = 0;
        private final List<AgentSpec> agents = new ArrayList<>();
        private ExecutorMode executorMode = ExecutorMode.PROCESS;
        private Path workDir;
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration allocationInterval = Duration.ofSeconds(1);
        private Duration statusUpdateRetryInitial = Duration.ofSeconds(10);
        private Duration statusUpdateRetryMax = Duration.ofMinutes(10);
        private Duration agentPingTimeout = Duration.ofSeconds(15);
        private int maxAgentPingTimeouts = 5;
        private Duration agentReregisterTimeout = Duration.ofMinutes(10);
        private Duration zookeeperSessionTimeout = Duration.ofSeconds(10);
        private Duration offerTimeout;
        private int maxCompletedFrameworks = 50;
        private Duration timerExecutorStepDelay = Duration.ofMillis(10);
        private String zookeeperConnect;
        private String zookeeperPath = "/mesos";

        private Builder() {}

        public Builder hostname(String v) { this.hostname = Objects.requireNonNull(v); return this; }
        public Builder masterPort(int v) { this.masterPort = v; return this; }
        public Builder masterCount(int v) { this.masterCount = v; return this; }
        public Builder agentBasePort(int v) { this.agentBasePort = v; return this; }
        public Builder agent(AgentSpec v) { this.agents.add(Objects.requireNonNull(v)); return this; }
        /**
         * Adds {@code n} agents with default resources, each with the hostname {@code localhost}, as real agents on
         * one machine report it: a framework that reads an agent's endpoints at {@code hostname:port} reaches it.
         */
        public Builder agents(int n) {
            for (int i = 0; i < n; i++) {
                agents.add(AgentSpec.defaults(AgentSpec.LOCALHOST));
            }
            return this;
        }
        public Builder executorMode(ExecutorMode v) { this.executorMode = Objects.requireNonNull(v); return this; }
        public Builder workDir(Path v) { this.workDir = v; return this; }
        public Builder heartbeatInterval(Duration v) { this.heartbeatInterval = Objects.requireNonNull(v); return this; }
        public Builder allocationInterval(Duration v) { this.allocationInterval = Objects.requireNonNull(v); return this; }
        public Builder statusUpdateRetryInitial(Duration v) { this.statusUpdateRetryInitial = Objects.requireNonNull(v); return this; }
        public Builder statusUpdateRetryMax(Duration v) { this.statusUpdateRetryMax = Objects.requireNonNull(v); return this; }
        public Builder agentPingTimeout(Duration v) { this.agentPingTimeout = Objects.requireNonNull(v); return this; }
        public Builder maxAgentPingTimeouts(int v) { this.maxAgentPingTimeouts = v; return this; }
        public Builder agentReregisterTimeout(Duration v) { this.agentReregisterTimeout = Objects.requireNonNull(v); return this; }
        public Builder zookeeperSessionTimeout(Duration v) { this.zookeeperSessionTimeout = Objects.requireNonNull(v); return this; }
        public Builder offerTimeout(Duration v) { this.offerTimeout = v; return this; }
        public Builder maxCompletedFrameworks(int v) { this.maxCompletedFrameworks = v; return this; }
        public Builder timerExecutorStepDelay(Duration v) { this.timerExecutorStepDelay = Objects.requireNonNull(v); return this; }
        public Builder zookeeper(String connect, String path) {
            this.zookeeperConnect = connect;
            this.zookeeperPath = Objects.requireNonNull(path);
            return this;
        }

        public LocalClusterConfig build() {
            return new LocalClusterConfig(this);
        }
    }
}
