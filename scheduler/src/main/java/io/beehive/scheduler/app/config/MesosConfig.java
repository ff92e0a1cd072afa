package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.beehive.scheduler.core.MesosConnection;
import io.beehive.scheduler.mesos.Encoding;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code mesos:} the masters and how the framework presents itself. {@code masters: local} starts an in-process
 * cluster ({@code mesos.local}) instead of talking to a real one.
 */
public class MesosConfig {
    public static final String LOCAL = "local";

    /** {@code local}, {@code host:port[,host:port...]} or {@code zk://host:port[,...]/mesos}. */
    @JsonProperty
    @NotBlank
    private String masters = LOCAL;

    @JsonProperty
    @Valid
    @NotNull
    private LocalClusterSection local = new LocalClusterSection();

    @JsonProperty
    @NotBlank
    private String frameworkName = "beehive";

    /** The OS user tasks run as; empty: the user running Beehive. */
    @JsonProperty
    private String user = "";

    @JsonProperty
    @NotBlank
    private String role = "*";

    /** How long Mesos keeps the tasks when no replica is subscribed; the whole fail-over budget. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration failoverTimeout = Duration.days(7);

    @JsonProperty
    private String principal = "";

    @JsonSetter(nulls = Nulls.SKIP)
    @JsonProperty
    @NotNull
    private Secret secret = Secret.empty();

    @AssertTrue(message = "mesos.principal and mesos.secret go together: give both or neither")
    public boolean isCredentialComplete() {
        return (principal == null || principal.isBlank()) == secret.isEmpty();
    }

    public boolean isLocal() {
        return LOCAL.equals(masters.trim());
    }

    public LocalClusterSection local() {
        return local;
    }

    public String frameworkName() {
        return frameworkName;
    }

    public Optional<String> user() {
        return user == null || user.isBlank() ? Optional.empty() : Optional.of(user);
    }

    public String role() {
        return role;
    }

    public java.time.Duration failoverTimeout() {
        return failoverTimeout.toJavaDuration();
    }

    public MesosConfig masters(String value) {
        this.masters = value;
        return this;
    }

    /** @param localMasters the in-process cluster's leading master ({@code host:port}), used when local */
    public MesosConnection connection(String localMasters) {
        String target = isLocal() ? localMasters : masters.trim();
        boolean authenticate = principal != null && !principal.isBlank();
        return new MesosConnection(target, Encoding.PROTOBUF,
                authenticate ? Optional.of(principal) : Optional.empty(),
                authenticate ? Optional.of(secret.reveal()) : Optional.empty());
    }

    /** The HTTP Basic {@code Authorization} value for the masters' and agents' endpoints, when credentials are set. */
    public java.util.Optional<String> basicAuthorization() {
        if (principal == null || principal.isBlank()) {
            return java.util.Optional.empty();
        }
        String pair = principal + ":" + secret.reveal();
        return java.util.Optional.of("Basic " + java.util.Base64.getEncoder()
                .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "mesos[masters=" + masters + ", principal=" + (principal == null || principal.isBlank() ? "(none)"
                : principal) + ", secret=" + secret + "]";
    }
}
