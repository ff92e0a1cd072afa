package io.beehive.scheduler.sdk;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Makes a forgotten acknowledgement visible. Acknowledging is the framework's job (it must persist first), so a
 * missing one is a bug that otherwise only shows as the agent resending the update forever.
 *
 * <p>One periodic sweep finds the overdue updates, not one timer per update, and each sweep logs one line however
 * many it found: during a burst of tens of thousands of launches acknowledgements can legitimately lag, and a timer
 * and a WARN line per update (58,000 lines in one benchmark run) cost the very CPU the backlog was waiting for.
 * Every overdue update is still counted.
 */
final class AcknowledgementTracker {

    static final String OVERDUE_COUNTER = "mesos.status-updates.unacknowledged";
    static final String PENDING_GAUGE = "mesos.status-updates.awaiting-acknowledgement";

    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgementTracker.class);
    private static final long MIN_SWEEP_MILLIS = 50;
    private static final long MAX_SWEEP_MILLIS = 5_000;

    /** An update handed to the framework and not acknowledged yet. */
    private static final class Pending {
        final String description;
        final long deliveredNanos;
        /** Set once by the sweep (its only writer) when the update was counted overdue. */
        boolean reported;

        Pending(String description, long deliveredNanos) {
            this.description = description;
            this.deliveredNanos = deliveredNanos;
        }
    }

    private final LongSupplier clock;
    private final long limitNanos;
    private final Counter overdue;
    private final Map<ByteString, Pending> pending = new ConcurrentHashMap<>();

    AcknowledgementTracker(Duration limit, ScheduledExecutorService timer, MetricRegistry metrics) {
        this(limit, timer, metrics, System::nanoTime);
    }

    /** With the clock a test moves; the sweeps run on {@code timer} (and only there). */
    AcknowledgementTracker(Duration limit, ScheduledExecutorService timer, MetricRegistry metrics, LongSupplier clock) {
        this.clock = clock;
        this.limitNanos = limit.toNanos();
        this.overdue = metrics.counter(OVERDUE_COUNTER);
        metrics.gauge(PENDING_GAUGE, () -> (Gauge<Integer>) pending::size);
        // An update is reported between limit and limit + one sweep interval after its delivery.
        long sweepMillis = Math.max(MIN_SWEEP_MILLIS, Math.min(MAX_SWEEP_MILLIS, limit.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::sweepSafely, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** An update with a uuid was handed to the framework. */
    void delivered(TaskStatus status) {
        // A resend of an update already being watched keeps its first delivery time.
        pending.computeIfAbsent(status.getUuid(), uuid -> new Pending(
                status.getTaskId().getValue() + " " + status.getState(), clock.getAsLong()));
    }

    void acknowledged(ByteString uuid) {
        pending.remove(uuid);
    }

    int pendingCount() {
        return pending.size();
    }

    long overdueCount() {
        return overdue.getCount();
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again.
            LOG.error("Acknowledgement sweep failed", e);
        }
    }

    /** Runs on the timer thread only: {@link Pending#reported} has no other reader or writer. */
    void sweep() {
        long now = clock.getAsLong();
        int found = 0;
        String example = null;
        for (Map.Entry<ByteString, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (!p.reported && now - p.deliveredNanos >= limitNanos) {
                p.reported = true;
                found++;
                if (example == null) {
                    example = p.description + " (uuid " + HexFormat.of().formatHex(e.getKey().toByteArray()) + ")";
                }
            }
        }
        if (found > 0) {
            overdue.inc(found);
            LOG.warn("{} status update(s) not acknowledged within {} ms, e.g. {}: the agents keep resending them "
                    + "({} awaiting acknowledgement, {} overdue in all)", found, limitNanos / 1_000_000, example,
                    pending.size(), overdue.getCount());
        }
    }
}
