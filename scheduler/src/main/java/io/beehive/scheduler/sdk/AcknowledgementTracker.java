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

/**
 * Makes a forgotten acknowledgement visible. Acknowledging is the framework's job (it must persist first), so a
 * missing one is a bug that otherwise only shows as the agent resending the update forever.
 */
final class AcknowledgementTracker {

    static final String OVERDUE_COUNTER = "mesos.status-updates.unacknowledged";
    static final String PENDING_GAUGE = "mesos.status-updates.awaiting-acknowledgement";

    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgementTracker.class);

    private final Duration limit;
    private final ScheduledExecutorService timer;
    private final Counter overdue;
    private final Map<ByteString, String> pending = new ConcurrentHashMap<>();

    AcknowledgementTracker(Duration limit, ScheduledExecutorService timer, MetricRegistry metrics) {
        this.limit = limit;
        this.timer = timer;
        this.overdue = metrics.counter(OVERDUE_COUNTER);
        metrics.gauge(PENDING_GAUGE, () -> (Gauge<Integer>) pending::size);
    }

    /** An update with a uuid was handed to the framework. */
    void delivered(TaskStatus status) {
        ByteString uuid = status.getUuid();
        String description = status.getTaskId().getValue() + " " + status.getState();
        if (pending.putIfAbsent(uuid, description) != null) {
            return; // a resend of an update already being watched
        }
        timer.schedule(() -> {
            String stillPending = pending.get(uuid);
            if (stillPending != null) {
                overdue.inc();
                LOG.warn("Status update {} (uuid {}) not acknowledged within {} ms: the agent will keep resending it",
                        stillPending, HexFormat.of().formatHex(uuid.toByteArray()),
                        limit.toMillis());
            }
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
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
}
