package io.beehive.scheduler.core.offer;

import java.util.List;

/** A demand placed on an offer, with the ports it was given. */
public record Match(Demand demand, List<Integer> ports) {
    public Match {
        ports = List.copyOf(ports);
    }
}
