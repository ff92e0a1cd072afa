package io.beehive.local;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent of a {@link LocalCluster}: what it offers and how it describes itself.
 *
 * @param hostname   Offer.hostname and AgentInfo.hostname; {@link #LOCALHOST} by default, where frameworks reach the
 *                   agent's HTTP port (an invented name such as {@code host-a} only labels the agent for placement
 *                   constraints: tasks all run on this machine, but frameworks cannot resolve it)
 * @param cpus       scalar "cpus"
 * @param mem        scalar "mem" (MB)
 * @param disk       scalar "disk" (MB)
 * @param ports      "ports" ranges, inclusive, e.g. {@code [[31000, 32000]]}
 * @param attributes TEXT attributes, e.g. {@code rack=r1}
 */
public record AgentSpec(String hostname, double cpus, double mem, double disk, List<long[]> ports,
                        Map<String, String> attributes) {

    /** The hostname a real agent on 127.0.0.1 reports (trace 01). */
    public static final String LOCALHOST = "localhost";

    public AgentSpec {
        Objects.requireNonNull(hostname, "hostname");
        ports = List.copyOf(ports);
        attributes = Map.copyOf(attributes);
        for (long[] range : ports) {
            if (range.length != 2 || range[0] > range[1]) {
                throw new IllegalArgumentException("a port range is [begin, end] with begin <= end");
            }
        }
    }

    /** 4 cpus, 8192 MB mem, 65536 MB disk, ports 31000-32000, no attributes. */
    public static AgentSpec defaults(String hostname) {
        return new AgentSpec(hostname, 4, 8192, 65536, List.<long[]>of(new long[] {31000, 32000}), Map.of());
    }

    public AgentSpec withResources(double cpus, double mem, double disk) {
        return new AgentSpec(hostname, cpus, mem, disk, ports, attributes);
    }

    public AgentSpec withAttributes(Map<String, String> attributes) {
        return new AgentSpec(hostname, cpus, mem, disk, ports, attributes);
    }
}
