package io.beehive.local.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * Unreserved scalar and range resources of one agent, with the arithmetic the allocator and launch validation
 * need. Immutable. Scalars are compared with a small epsilon, as Mesos compares fixed-point values.
 */
public final class ResourceBag {

    private static final double EPSILON = 1e-6;
    public static final ResourceBag EMPTY = new ResourceBag(Map.of(), Map.of());

    private final Map<String, Double> scalars;
    private final Map<String, List<long[]>> ranges;

    private ResourceBag(Map<String, Double> scalars, Map<String, List<long[]>> ranges) {
        this.scalars = scalars;
        this.ranges = ranges;
    }

    public static ResourceBag of(double cpus, double mem, double disk, List<long[]> ports) {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("cpus", cpus);
        s.put("mem", mem);
        s.put("disk", disk);
        Map<String, List<long[]>> r = new LinkedHashMap<>();
        if (!ports.isEmpty()) {
            r.put("ports", normalize(ports));
        }
        return new ResourceBag(s, r);
    }

    /** Reads SCALAR and RANGES resources; returns an error text for anything this master cannot account. */
    public static ResourceBag fromProtos(List<Resource> resources) {
        Map<String, Double> s = new LinkedHashMap<>();
        Map<String, List<long[]>> r = new LinkedHashMap<>();
        for (Resource resource : resources) {
            if (resource.getType() == Value.Type.SCALAR) {
                s.merge(resource.getName(), resource.getScalar().getValue(), Double::sum);
            } else if (resource.getType() == Value.Type.RANGES) {
                List<long[]> list = new ArrayList<>(r.getOrDefault(resource.getName(), List.of()));
                for (Value.Range range : resource.getRanges().getRangeList()) {
                    list.add(new long[] {range.getBegin(), range.getEnd()});
                }
                r.put(resource.getName(), normalize(list));
            }
        }
        return new ResourceBag(s, r);
    }

    public boolean isEmpty() {
        return scalars.values().stream().allMatch(v -> v < EPSILON) && ranges.values().stream().allMatch(List::isEmpty);
    }

    public boolean contains(ResourceBag other) {
        for (Map.Entry<String, Double> e : other.scalars.entrySet()) {
            if (e.getValue() > scalars.getOrDefault(e.getKey(), 0.0) + EPSILON) {
                return false;
            }
        }
        for (Map.Entry<String, List<long[]>> e : other.ranges.entrySet()) {
            List<long[]> mine = ranges.getOrDefault(e.getKey(), List.of());
            for (long[] range : e.getValue()) {
                if (mine.stream().noneMatch(m -> m[0] <= range[0] && range[1] <= m[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    public ResourceBag plus(ResourceBag other) {
        Map<String, Double> s = new LinkedHashMap<>(scalars);
        other.scalars.forEach((k, v) -> s.merge(k, v, Double::sum));
        Map<String, List<long[]>> r = new LinkedHashMap<>(ranges);
        other.ranges.forEach((k, v) -> {
            List<long[]> list = new ArrayList<>(r.getOrDefault(k, List.of()));
            list.addAll(v);
            r.put(k, normalize(list));
        });
        return new ResourceBag(s, r);
    }

    public ResourceBag minus(ResourceBag other) {
        Map<String, Double> s = new LinkedHashMap<>(scalars);
        other.scalars.forEach((k, v) -> s.computeIfPresent(k, (key, mine) -> Math.max(0, round(mine - v))));
        Map<String, List<long[]>> r = new LinkedHashMap<>(ranges);
        other.ranges.forEach((k, v) -> {
            List<long[]> remaining = new ArrayList<>(r.getOrDefault(k, List.of()));
            for (long[] cut : v) {
                List<long[]> next = new ArrayList<>();
                for (long[] m : remaining) {
                    if (cut[1] < m[0] || cut[0] > m[1]) {
                        next.add(m);
                        continue;
                    }
                    if (m[0] < cut[0]) {
                        next.add(new long[] {m[0], cut[0] - 1});
                    }
                    if (cut[1] < m[1]) {
                        next.add(new long[] {cut[1] + 1, m[1]});
                    }
                }
                remaining = next;
            }
            r.put(k, remaining);
        });
        return new ResourceBag(s, r);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    public double scalar(String name) {
        return scalars.getOrDefault(name, 0.0);
    }

    public Map<String, Double> scalars() {
        return scalars;
    }

    public Map<String, List<long[]>> ranges() {
        return ranges;
    }

    /**
     * As a real agent's resources are offered: ranges first, then scalars, each carrying {@code role} and, for
     * MULTI_ROLE frameworks, {@code allocation_info}.
     */
    public List<Resource> toProtos(String role, String allocationRole) {
        List<Resource> out = new ArrayList<>();
        ranges.forEach((name, list) -> {
            if (list.isEmpty()) {
                return;
            }
            Value.Ranges.Builder rb = Value.Ranges.newBuilder();
            for (long[] range : list) {
                rb.addRange(Value.Range.newBuilder().setBegin(range[0]).setEnd(range[1]));
            }
            out.add(decorate(Resource.newBuilder().setName(name).setType(Value.Type.RANGES).setRanges(rb), role, allocationRole));
        });
        scalars.forEach((name, value) -> {
            if (value < EPSILON) {
                return;
            }
            out.add(decorate(Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)), role, allocationRole));
        });
        return out;
    }

    private static Resource decorate(Resource.Builder b, String role, String allocationRole) {
        if (role != null) {
            b.setRole(role);
        }
        if (allocationRole != null) {
            b.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
        }
        return b.build();
    }

    /**
     * Adds up many bags without building an intermediate bag per addition: an allocation round subtracts every
     * running task from its agent, and with 100,000 tasks one {@link #minus} per task (two map copies each) kept the
     * master's single event loop busy for most of every round.
     */
    public static final class Sum {
        private final Map<String, Double> scalars = new LinkedHashMap<>();
        private final Map<String, List<long[]>> ranges = new LinkedHashMap<>();

        public Sum add(ResourceBag bag) {
            bag.scalars.forEach((k, v) -> scalars.merge(k, v, Double::sum));
            bag.ranges.forEach((k, v) -> ranges.computeIfAbsent(k, key -> new ArrayList<>()).addAll(v));
            return this;
        }

        public ResourceBag toBag() {
            Map<String, List<long[]>> r = new LinkedHashMap<>();
            ranges.forEach((k, v) -> r.put(k, normalize(v)));
            return new ResourceBag(new LinkedHashMap<>(scalars), r);
        }
    }

    private static List<long[]> normalize(List<long[]> input) {
        List<long[]> sorted = new ArrayList<>();
        for (long[] r : input) {
            sorted.add(new long[] {r[0], r[1]});
        }
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1)[1] + 1 >= r[0]) {
                long[] last = out.get(out.size() - 1);
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** Mesos's text form, e.g. {@code cpus:1.0; mem:128.0; ports:[31000-31001]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        scalars.forEach((k, v) -> {
            if (v >= EPSILON) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(k).append(':').append(v);
            }
        });
        ranges.forEach((k, v) -> {
            if (!v.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(k).append(":[");
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    sb.append(v.get(i)[0]).append('-').append(v.get(i)[1]);
                }
                sb.append(']');
            }
        });
        return sb.toString();
    }
}
