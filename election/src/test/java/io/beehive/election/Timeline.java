package io.beehive.election;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every callback of every replica, with a monotonic timestamp, to check leadership terms never overlap. */
final class Timeline {
    enum Kind { ELECTED, SUSPENDED, RESUMED, DEPOSED }

    record Event(String replica, Kind kind, Fence fence, DepositionReason reason, long nanos) {
    }

    /** One replica's term: [start, end) in System.nanoTime, end = Long.MAX_VALUE while it lasts. */
    record Term(String replica, Fence fence, long start, long end) {
    }

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    void record(Event event) {
        events.add(event);
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> elections() {
        return events().stream().filter(e -> e.kind() == Kind.ELECTED).toList();
    }

    Optional<Event> firstElectionAfter(long epoch) {
        return elections().stream().filter(e -> e.fence().epoch() > epoch).findFirst();
    }

    /** From elected to deposed: while the replica holds office. */
    List<Term> terms() {
        return intervals(Kind.ELECTED, Kind.ELECTED, Kind.DEPOSED, Kind.DEPOSED);
    }

    /** From elected or resumed to suspended or deposed: while the replica may launch and write. */
    List<Term> activeTerms() {
        return intervals(Kind.ELECTED, Kind.RESUMED, Kind.SUSPENDED, Kind.DEPOSED);
    }

    private List<Term> intervals(Kind opens, Kind alsoOpens, Kind closes, Kind alsoCloses) {
        List<Term> terms = new ArrayList<>();
        for (String replica : events().stream().map(Event::replica).distinct().toList()) {
            Event open = null;
            Fence fence = null;
            for (Event e : events()) {
                if (!e.replica().equals(replica)) {
                    continue;
                }
                if (e.kind() == Kind.ELECTED) {
                    fence = e.fence();
                }
                if ((e.kind() == opens || e.kind() == alsoOpens) && open == null) {
                    open = e;
                } else if ((e.kind() == closes || e.kind() == alsoCloses) && open != null) {
                    terms.add(new Term(replica, fence, open.nanos(), e.nanos()));
                    open = null;
                }
            }
            if (open != null) {
                terms.add(new Term(replica, fence, open.nanos(), Long.MAX_VALUE));
            }
        }
        terms.sort(Comparator.comparingLong(Term::start));
        return terms;
    }

    /** Pairs of terms of different replicas that overlap in time (should be none). */
    List<String> overlaps() {
        return overlapsOf(terms());
    }

    /** Pairs of active periods of different replicas that overlap in time (should be none, ever). */
    List<String> activeOverlaps() {
        return overlapsOf(activeTerms());
    }

    private static List<String> overlapsOf(List<Term> terms) {
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            for (int j = i + 1; j < terms.size(); j++) {
                Term a = terms.get(i);
                Term b = terms.get(j);
                if (b.start() < a.end() && !a.replica().equals(b.replica())) {
                    overlaps.add(a + " overlaps " + b + " by " + (a.end() - b.start()) / 1_000_000 + " ms");
                }
            }
        }
        return overlaps;
    }
}
