package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that shapes a {@link MesosClient}. The FrameworkInfo is sent as given except for its id, which the
 * client fills from {@link Builder#frameworkId} (a stored id) or from the last SUBSCRIBED.
 */
public final class MesosClientConfig {

    private final String masters;
    private final String scheme;
    private final FrameworkInfo frameworkInfo;
    private final Optional<FrameworkID> frameworkId;
    private final Encoding encoding;
    private final Optional<String> principal;
    private final Optional<String> secret;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final int heartbeatTimeoutFactor;
    private final Optional<Duration> heartbeatIntervalOverride;
    private final int maxRecordSize;
    private final int ackConnections;
    private final int maxQueuedCallsPerConnection;

    private MesosClientConfig(Builder b) {
        this.masters = Objects.requireNonNull(b.masters, "masters");
        this.scheme = b.scheme;
        this.frameworkInfo = Objects.requireNonNull(b.frameworkInfo, "frameworkInfo");
        this.frameworkId = Optional.ofNullable(b.frameworkId);
        this.encoding = b.encoding;
        this.principal = Optional.ofNullable(b.principal);
        this.secret = Optional.ofNullable(b.secret);
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.heartbeatTimeoutFactor = b.heartbeatTimeoutFactor;
        this.heartbeatIntervalOverride = Optional.ofNullable(b.heartbeatIntervalOverride);
        this.maxRecordSize = b.maxRecordSize;
        this.ackConnections = b.ackConnections;
        this.maxQueuedCallsPerConnection = b.maxQueuedCallsPerConnection;
        if (ackConnections < 0) {
            throw new IllegalArgumentException("ackConnections must not be negative: " + ackConnections);
        }
        if (maxQueuedCallsPerConnection < 1) {
            throw new IllegalArgumentException("maxQueuedCallsPerConnection must be at least 1");
        }
        if (!frameworkInfo.hasUser() || !frameworkInfo.hasName()) {
            throw new IllegalArgumentException("FrameworkInfo needs user and name (the master requires both)");
        }
        if (principal.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException("HTTP authentication needs both principal and secret");
        }
        if (heartbeatTimeoutFactor < 1) {
            throw new IllegalArgumentException("heartbeatTimeoutFactor must be at least 1");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port[,host:port…]} or {@code zk://hosts/path}. */
    public String masters() { return masters; }
    public String scheme() { return scheme; }
    public FrameworkInfo frameworkInfo() { return frameworkInfo; }
    /** A FrameworkID persisted by an earlier run: the client re-subscribes with it (failover). */
    public Optional<FrameworkID> frameworkId() { return frameworkId; }
    public Encoding encoding() { return encoding; }
    public Optional<String> principal() { return principal; }
    public Optional<String> secret() { return secret; }
    /** Whole-request timeout of a call (not of the SUBSCRIBE stream, which the heartbeat watchdog guards). */
    public Duration requestTimeout() { return requestTimeout; }
    public Duration connectTimeout() { return connectTimeout; }
    public Duration backoffInitial() { return backoffInitial; }
    public Duration backoffMax() { return backoffMax; }
    /** The stream is declared dead after this many heartbeat intervals without any event. Mesos advises 5. */
    public int heartbeatTimeoutFactor() { return heartbeatTimeoutFactor; }
    /** Replaces the master's heartbeat_interval_seconds for the watchdog (tests); empty = use the master's. */
    public Optional<Duration> heartbeatIntervalOverride() { return heartbeatIntervalOverride; }
    /** Largest RecordIO record accepted; a larger length prefix drops the connection. */
    public int maxRecordSize() { return maxRecordSize; }
    /**
     * Extra connections per master that carry only ACKNOWLEDGE calls (0 = every call on the one ordered connection),
     * pipelined to a plain-HTTP master (see {@link PipelinedConnection}). Acknowledgements of one task always use the
     * same connection, so they stay in order.
     */
    public int ackConnections() { return ackConnections; }
    /**
     * Calls that may wait for their connection; one more fails its future at once (never dropped silently).
     * Jetty's own default (1,024) is too small for a burst of launches plus their acknowledgements.
     */
    public int maxQueuedCallsPerConnection() { return maxQueuedCallsPerConnection; }

    public static final class Builder {
        private String masters;
        private String scheme = "http";
        private FrameworkInfo frameworkInfo;
        private FrameworkID frameworkId;
        private Encoding encoding = Encoding.PROTOBUF;
        private String principal;
        private String secret;
        private Duration requestTimeout = Duration.ofSeconds(75);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration backoffInitial = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(15);
        private int heartbeatTimeoutFactor = 5;
        private Duration heartbeatIntervalOverride;
        private int maxRecordSize = 64 * 1024 * 1024;
        private int ackConnections = 4;
        private int maxQueuedCallsPerConnection = 16 * 1024;

        private Builder() {}

        public Builder masters(String v) { this.masters = v; return this; }
        public Builder scheme(String v) { this.scheme = Objects.requireNonNull(v); return this; }
        public Builder frameworkInfo(FrameworkInfo v) { this.frameworkInfo = v; return this; }
        public Builder frameworkId(FrameworkID v) { this.frameworkId = v; return this; }
        public Builder encoding(Encoding v) { this.encoding = Objects.requireNonNull(v); return this; }
        public Builder credentials(String principal, String secret) {
            this.principal = principal;
            this.secret = secret;
            return this;
        }
        public Builder requestTimeout(Duration v) { this.requestTimeout = Objects.requireNonNull(v); return this; }
        public Builder connectTimeout(Duration v) { this.connectTimeout = Objects.requireNonNull(v); return this; }
        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = Objects.requireNonNull(initial);
            this.backoffMax = Objects.requireNonNull(max);
            return this;
        }
        public Builder heartbeatTimeoutFactor(int v) { this.heartbeatTimeoutFactor = v; return this; }
        public Builder heartbeatIntervalOverride(Duration v) { this.heartbeatIntervalOverride = v; return this; }
        public Builder maxRecordSize(int v) { this.maxRecordSize = v; return this; }
        public Builder ackConnections(int v) { this.ackConnections = v; return this; }
        public Builder maxQueuedCallsPerConnection(int v) { this.maxQueuedCallsPerConnection = v; return this; }

        public MesosClientConfig build() {
            return new MesosClientConfig(this);
        }
    }
}
