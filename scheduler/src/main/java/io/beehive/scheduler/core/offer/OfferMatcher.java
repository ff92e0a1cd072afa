package io.beehive.scheduler.core.offer;

import io.beehive.state.record.Constraint;
import io.beehive.state.record.ResourceSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which demands fit on one offer: resources (cpus, mem, disk, ports), the job's placement constraints and
 * the agent blacklist. Pure: no I/O, no clock, so every rule is tested directly.
 *
 * <p>Greedy in the order the demands are given (the caller puts the most urgent first); a demand that does not fit is
 * skipped and the next one tried, so one large task cannot starve small ones.
 */
public final class OfferMatcher {

    public List<Match> match(AgentOffer offer, List<Demand> demands, Collection<Placement> placed,
                             Set<String> blacklistedAgents) {
        if (blacklistedAgents.contains(offer.agentId())) {
            return List.of();
        }
        double cpus = offer.cpus();
        double mem = offer.memMb();
        double disk = offer.diskMb();
        PortPool ports = new PortPool(offer.ports());
        List<Placement> occupied = new ArrayList<>(placed);
        List<Match> matches = new ArrayList<>();
        for (Demand d : demands) {
            ResourceSpec r = d.resources();
            if (d.requiredAgentId() != null && !d.requiredAgentId().equals(offer.agentId())) {
                continue;
            }
            if (r.cpus() > cpus + 1e-9 || r.memMb() > mem + 1e-9 || r.diskMb() > disk + 1e-9
                    || r.ports() > ports.available()) {
                continue;
            }
            if (!satisfiesAll(d, offer, occupied)) {
                continue;
            }
            cpus -= r.cpus();
            mem -= r.memMb();
            disk -= r.diskMb();
            matches.add(new Match(d, ports.take(r.ports())));
            occupied.add(new Placement(d.jobId(), offer.agentId(), offer.hostname(), offer.attributes()));
        }
        return matches;
    }

    static boolean satisfiesAll(Demand d, AgentOffer offer, Collection<Placement> occupied) {
        for (Constraint c : d.constraints()) {
            if (!satisfies(c, d.jobId(), offer, occupied)) {
                return false;
            }
        }
        return true;
    }

    static boolean satisfies(Constraint c, String jobId, AgentOffer offer, Collection<Placement> occupied) {
        String value = offer.fieldValue(c.field());
        return switch (c.operator()) {
            case EQUALS -> c.value().equals(value);
            case LIKE -> value != null && Pattern.matches(c.value(), value);
            // An agent without the attribute is "unlike" any pattern.
            case UNLIKE -> value == null || !Pattern.matches(c.value(), value);
            case UNIQUE -> value != null && countSameValue(jobId, c.field(), value, occupied) == 0;
            case MAX_PER -> value != null
                    && countSameValue(jobId, c.field(), value, occupied) < Integer.parseInt(c.value());
        };
    }

    private static long countSameValue(String jobId, String field, String value, Collection<Placement> occupied) {
        return occupied.stream()
                .filter(p -> p.jobId().equals(jobId) && value.equals(p.fieldValue(field)))
                .count();
    }

    /** The free ports of one offer, handed out lowest first. */
    private static final class PortPool {
        private final List<long[]> ranges = new ArrayList<>();
        private long available;

        PortPool(List<long[]> offered) {
            for (long[] r : offered) {
                ranges.add(new long[] {r[0], r[1]});
                available += r[1] - r[0] + 1;
            }
        }

        long available() {
            return available;
        }

        List<Integer> take(int n) {
            List<Integer> out = new ArrayList<>(n);
            for (long[] r : ranges) {
                while (out.size() < n && r[0] <= r[1]) {
                    out.add((int) r[0]);
                    r[0]++;
                }
            }
            available -= n;
            return out;
        }
    }
}
