package io.beehive.local.master;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos.Resource;

/**
 * Resources as Mesos' {@code operator<<(ostream, Resources)} prints them in its messages: {@code name(allocated:
 * role):value} joined by {@code "; "}, in the order the resources were listed (an offer's: ranges first), a scalar
 * rounded to three decimals with no trailing zeros ({@code 1.9}, {@code 32}), ranges as {@code [31000-32000]};
 * what is used up is left out.
 */
final class ResourceText {

    private static final double EPSILON = 1e-6;

    private ResourceText() {}

    /** The resources of a task, in its own order (resources of one name merged at the first one). */
    static String of(List<Resource> listed, String role) {
        return of(ResourceBag.fromProtos(listed), names(listed), role);
    }

    /** {@code bag} in the order of {@code listed} (e.g. the offer it came from), other names after. */
    static String of(ResourceBag bag, List<Resource> listed, String role) {
        return of(bag, names(listed), role);
    }

    private static String of(ResourceBag bag, Set<String> order, String role) {
        Set<String> names = new LinkedHashSet<>(order);
        names.addAll(bag.ranges().keySet());
        names.addAll(bag.scalars().keySet());
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            String prefix = name + "(allocated: " + role + "):";
            List<long[]> ranges = bag.ranges().get(name);
            if (ranges != null && !ranges.isEmpty()) {
                StringBuilder sb = new StringBuilder(prefix).append('[');
                for (int i = 0; i < ranges.size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(ranges.get(i)[0]).append('-').append(ranges.get(i)[1]);
                }
                parts.add(sb.append(']').toString());
            }
            Double scalar = bag.scalars().get(name);
            if (scalar != null && scalar > EPSILON) {
                parts.add(prefix + scalar(scalar));
            }
        }
        return String.join("; ", parts);
    }

    private static Set<String> names(List<Resource> listed) {
        Set<String> names = new LinkedHashSet<>();
        listed.forEach(r -> names.add(r.getName()));
        return names;
    }

    /** Mesos keeps scalars as fixed-point with three decimals and prints them with the shortest digits. */
    static String scalar(double value) {
        return BigDecimal.valueOf(Math.round(value * 1000) / 1000.0).stripTrailingZeros().toPlainString();
    }
}
