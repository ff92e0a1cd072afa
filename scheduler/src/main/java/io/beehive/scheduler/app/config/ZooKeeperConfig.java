package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.beehive.election.ZooKeeperSettings;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code zookeeper:} where the replicas meet. Either {@code connect} names an ensemble, or {@code embedded: true}
 * starts one inside this process (the single-machine default; no high availability, obviously).
 */
public class ZooKeeperConfig {
    /** {@code host:port[,host:port...]}, no chroot (the state root is {@code replica.root}). */
    @JsonProperty
    private String connect = "";

    @JsonProperty
    private boolean embedded = false;

    /** Port of the embedded server; 0 picks a free one. */
    @JsonProperty
    @Min(0)
    @Max(65535)
    private int embeddedPort = 2181;

    /** Data directory of the embedded server; empty: a temporary directory (state is lost on restart). */
    @JsonProperty
    private String embeddedDataDir = "";

    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration sessionTimeout = Duration.seconds(10);

    @JsonProperty
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration connectionTimeout = Duration.seconds(5);

    /** {@code user:password} for digest ACLs on every node Beehive creates; empty: no ACLs. */
    @JsonSetter(nulls = Nulls.SKIP)
    @JsonProperty
    @NotNull
    private Secret digest = Secret.empty();

    @AssertTrue(message = "set either zookeeper.connect (an ensemble) or zookeeper.embedded: true, not both and not "
            + "neither")
    public boolean isConnectOrEmbedded() {
        return embedded == (connect == null || connect.isBlank());
    }

    @AssertTrue(message = "zookeeper.digest must be user:password")
    public boolean isDigestWellFormed() {
        return digest.isEmpty() || digest.reveal().indexOf(':') > 0 && !digest.reveal().endsWith(":");
    }

    public boolean embedded() {
        return embedded;
    }

    public int embeddedPort() {
        return embeddedPort;
    }

    public Path embeddedDataDir() {
        return embeddedDataDir == null || embeddedDataDir.isBlank() ? null : Path.of(embeddedDataDir);
    }

    public String connect() {
        return connect;
    }

    /** The election module's settings for {@code connectString} (the embedded server's, when embedded). */
    public ZooKeeperSettings settings(String connectString) {
        ZooKeeperSettings s = ZooKeeperSettings.defaults(connectString)
                .withSessionTimeout(sessionTimeout.toJavaDuration())
                .withConnectionTimeout(connectionTimeout.toJavaDuration());
        return digest.isEmpty() ? s : s.withDigestCredentials(digest.reveal());
    }

    public ZooKeeperConfig connect(String value) {
        this.connect = value;
        this.embedded = false;
        return this;
    }

    public ZooKeeperConfig embedded(int port) {
        this.embedded = true;
        this.connect = "";
        this.embeddedPort = port;
        return this;
    }

    public ZooKeeperConfig digest(String userColonPassword) {
        this.digest = Secret.of(userColonPassword);
        return this;
    }

    @Override
    public String toString() {
        return "zookeeper[" + (embedded ? "embedded:" + embeddedPort : connect) + ", sessionTimeout=" + sessionTimeout
                + ", digest=" + digest + "]";
    }
}
