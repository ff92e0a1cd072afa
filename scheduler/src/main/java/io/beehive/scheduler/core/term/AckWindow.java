package io.beehive.scheduler.core.term;

import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Bounds the acknowledgements in flight. One group commit can make thousands of updates durable at once; sending
 * all their ACKNOWLEDGE calls in one burst overflows the HTTP client's per-destination request queue (Jetty aborts
 * the excess), and every aborted acknowledgement costs an agent retry. The window sends at most {@code max} at a
 * time and the next ones as answers come back. Confined to the event loop.
 *
 * <p>The gate is asked again at send time: an acknowledgement queued before the term was suspended is dropped, and
 * Mesos redelivers its update.
 */
final class AckWindow {
    private static final Logger LOG = LoggerFactory.getLogger(AckWindow.class);

    private final int max;
    private final Function<TaskStatus, CompletableFuture<Void>> send;
    private final BooleanSupplier gate;
    private final Executor loop;
    private final Runnable onSent;
    private final ArrayDeque<TaskStatus> queued = new ArrayDeque<>();
    private int inFlight;

    AckWindow(int max, Function<TaskStatus, CompletableFuture<Void>> send, BooleanSupplier gate, Executor loop,
              Runnable onSent) {
        this.max = max;
        this.send = send;
        this.gate = gate;
        this.loop = loop;
        this.onSent = onSent;
    }

    void acknowledge(TaskStatus status) {
        queued.add(status);
        pump();
    }

    int queued() {
        return queued.size();
    }

    private void pump() {
        while (inFlight < max && !queued.isEmpty()) {
            TaskStatus status = queued.poll();
            if (!gate.getAsBoolean()) {
                queued.clear(); // unacknowledged updates come back from Mesos
                return;
            }
            inFlight++;
            onSent.run();
            send.apply(status).whenCompleteAsync((ok, error) -> {
                inFlight--;
                if (error != null) {
                    LOG.debug("Acknowledgement of {} failed ({}); Mesos will resend the update",
                            status.getTaskId().getValue(), error.toString());
                }
                pump();
            }, loop);
        }
    }
}
