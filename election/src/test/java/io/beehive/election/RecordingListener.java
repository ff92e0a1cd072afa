package io.beehive.election;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.beehive.election.Timeline.Event;
import io.beehive.election.Timeline.Kind;

/**
 * Records callbacks into a shared {@link Timeline} and notes every breach of the listener contract: two
 * callbacks at once, a callback off the election thread, or an order other than
 * {@code elected (suspended resumed)* [suspended] deposed}.
 */
final class RecordingListener implements LeadershipListener {
    private final String replica;
    private final Timeline timeline;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Event> mine = new CopyOnWriteArrayList<>();
    private volatile Kind last;
    private volatile Thread callbackThread;

    RecordingListener(String replica, Timeline timeline) {
        this.replica = replica;
        this.timeline = timeline;
    }

    @Override
    public void elected(Fence fence) {
        on(Kind.ELECTED, fence, null);
    }

    @Override
    public void suspended() {
        on(Kind.SUSPENDED, null, null);
    }

    @Override
    public void resumed() {
        on(Kind.RESUMED, null, null);
    }

    @Override
    public void deposed(DepositionReason reason) {
        on(Kind.DEPOSED, null, reason);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    List<Event> events() {
        return List.copyOf(mine);
    }

    long count(Kind kind) {
        return mine.stream().filter(e -> e.kind() == kind).count();
    }

    private void on(Kind kind, Fence fence, DepositionReason reason) {
        long now = System.nanoTime();
        if (inFlight.incrementAndGet() != 1) {
            violations.add("concurrent callback " + kind);
        }
        try {
            if (callbackThread == null) {
                callbackThread = Thread.currentThread();
            } else if (callbackThread != Thread.currentThread()) {
                violations.add(kind + " on thread " + Thread.currentThread().getName());
            }
            if (!allowedAfter(last, kind)) {
                violations.add(kind + " after " + last);
            }
            last = kind;
            Event event = new Event(replica, kind, fence, reason, now);
            mine.add(event);
            timeline.record(event);
            // Widen the window in which an overlapping callback would be caught.
            Thread.yield();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static boolean allowedAfter(Kind previous, Kind next) {
        if (previous == null || previous == Kind.DEPOSED) {
            return next == Kind.ELECTED;
        }
        return switch (previous) {
            case ELECTED, RESUMED -> next == Kind.SUSPENDED || next == Kind.DEPOSED;
            case SUSPENDED -> next == Kind.RESUMED || next == Kind.DEPOSED;
            default -> false;
        };
    }
}
