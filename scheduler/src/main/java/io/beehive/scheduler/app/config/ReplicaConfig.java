package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.election.ElectionSettings;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * {@code replica:} this replica's identity in the election and where the state lives. The advertised address is
 * what the other replicas forward writes to, so it must be reachable from them (not 127.0.0.1 in a real cluster).
 */
public class ReplicaConfig {
    @JsonProperty
    @NotNull
    @Pattern(regexp = "/[^/].*[^/]|/[^/]", message = "must be an absolute ZooKeeper path without a trailing /")
    private String root = "/beehive";

    /** Host name or address the other replicas reach this one at; empty: this machine's host name. */
    @JsonProperty
    private String advertisedHost = "";

    /** Port the other replicas reach this one at; 0: the port the API connector is bound to. */
    @JsonProperty
    @Min(0)
    @Max(65535)
    private int advertisedPort = 0;

    /** How long a graceful stop or an abdication waits for another replica to take office. */
    @JsonProperty
    @NotNull
    private Duration handOffTimeout = Duration.seconds(15);

    /** If set, the leader abdicates after this long, so that fail-over is exercised routinely. */
    @JsonProperty
    private Duration maxTimeInOffice;

    public String root() {
        return root;
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int advertisedPort() {
        return advertisedPort;
    }

    public ReplicaConfig advertise(String host, int port) {
        this.advertisedHost = host;
        this.advertisedPort = port;
        return this;
    }

    public ReplicaConfig root(String value) {
        this.root = value;
        return this;
    }

    public ReplicaConfig handOffTimeout(Duration value) {
        this.handOffTimeout = value;
        return this;
    }

    public ElectionSettings election(String participantId) {
        ElectionSettings s = ElectionSettings.of(root, participantId)
                .withHandOffTimeout(handOffTimeout.toJavaDuration());
        return maxTimeInOffice == null ? s : s.withMaxTimeInOffice(maxTimeInOffice.toJavaDuration());
    }
}
