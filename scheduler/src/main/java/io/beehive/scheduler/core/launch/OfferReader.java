package io.beehive.scheduler.core.launch;

import io.beehive.scheduler.core.offer.AgentOffer;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a Mesos offer into the matcher's {@link AgentOffer}: unreserved scalars summed, port ranges, attributes. */
public final class OfferReader {
    private OfferReader() {
    }

    public static AgentOffer read(Offer offer) {
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        List<long[]> ports = new ArrayList<>();
        for (Resource r : offer.getResourcesList()) {
            if (r.getReservationsCount() > 0 || r.hasReservation()) {
                continue; // reserved for someone else's purposes; Beehive launches on unreserved resources only
            }
            switch (r.getName()) {
                case "cpus" -> cpus += r.getScalar().getValue();
                case "mem" -> mem += r.getScalar().getValue();
                case "disk" -> disk += r.getScalar().getValue();
                case "ports" -> r.getRanges().getRangeList().forEach(rg -> ports.add(new long[] {rg.getBegin(), rg.getEnd()}));
                default -> { }
            }
        }
        Map<String, String> attributes = new HashMap<>();
        for (Attribute a : offer.getAttributesList()) {
            attributes.put(a.getName(), attributeText(a));
        }
        return new AgentOffer(offer.getId().getValue(), offer.getAgentId().getValue(), offer.getHostname(),
                attributes, cpus, mem, disk, ports);
    }

    private static String attributeText(Attribute a) {
        if (a.getType() == Value.Type.TEXT) {
            return a.getText().getValue();
        }
        if (a.getType() == Value.Type.SCALAR) {
            double v = a.getScalar().getValue();
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
        return a.hasText() ? a.getText().getValue() : "";
    }
}
