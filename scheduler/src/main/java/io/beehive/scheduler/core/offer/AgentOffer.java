package io.beehive.scheduler.core.offer;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the matcher needs to know about one offer: where it is and what is free there.
 *
 * @param ports free port ranges, inclusive {@code [begin, end]}
 */
public record AgentOffer(String offerId, String agentId, String hostname, Map<String, String> attributes,
                         double cpus, double memMb, double diskMb, List<long[]> ports) {
    public AgentOffer {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(agentId, "agentId");
        hostname = hostname == null ? "" : hostname;
        attributes = Map.copyOf(attributes);
        ports = List.copyOf(ports);
    }

    /** The value a constraint on {@code field} sees: {@code hostname} is the agent's host, anything else an attribute. */
    public String fieldValue(String field) {
        return Placement.fieldValue(field, hostname, attributes);
    }
}
