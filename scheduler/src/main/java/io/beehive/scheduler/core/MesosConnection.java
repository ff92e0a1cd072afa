package io.beehive.scheduler.core;

import io.beehive.scheduler.mesos.Encoding;

import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Mesos: the masters ({@code host:port,host:port} or {@code zk://host:port/mesos}), the encoding
 * and the optional credentials. The FrameworkInfo is built by the core (it decides failover_timeout, checkpoint,
 * capabilities and the FrameworkID).
 */
public record MesosConnection(String masters, Encoding encoding, Optional<String> principal, Optional<String> secret) {
    public MesosConnection {
        if (masters == null || masters.isBlank()) {
            throw new IllegalArgumentException("masters must name at least one Mesos master");
        }
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(secret, "secret");
        if (principal.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException("give both a principal and a secret, or neither");
        }
    }

    public static MesosConnection of(String masters) {
        return new MesosConnection(masters, Encoding.PROTOBUF, Optional.empty(), Optional.empty());
    }
}
