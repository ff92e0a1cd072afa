package io.beehive.scheduler.core.term;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Bounds the acknowledgements in flight. One group commit can make thousands of updates durable at once; sending
 * all their ACKNOWLEDGE calls in one burst overflows the HTTP client's per-destination request queue (Jetty aborts
 * the excess), and every aborted acknowledgement costs an agent retry. The window sends at most {@code max} at a
 * time and the next ones as answers come back, in the order they were asked for. Confined to the event loop.
 *
 * <p>An update the agent re-sent while its acknowledgement was still waiting here (or on the wire) is the same
 * update (same task, same uuid): it is not acknowledged a second time. Under a backlog longer than the agents' retry
 * interval every pending update comes back again and again, and acknowledging each copy multiplied the backlog
 * itself (5.4 acknowledgements per update in a 90,000-task burst). If the one acknowledgement fails, Mesos re-sends
 * the update once more and it is acknowledged then.
 *
 * <p>The gate is asked again at send time: an acknowledgement queued before the term was suspended is dropped, and
 * Mesos redelivers its update.
 */
final class AckWindow {
    private static final Logger LOG = LoggerFactory.getLogger(AckWindow.class);

    /** One status update as Mesos identifies it for acknowledgement. */
    private record UpdateKey(String taskId, ByteString uuid) {
        static UpdateKey of(TaskStatus status) {
            return new UpdateKey(status.getTaskId().getValue(), status.getUuid());
        }
    }

    private final int max;
    private final Function<TaskStatus, CompletableFuture<Void>> send;
    private final BooleanSupplier gate;
    private final Executor loop;
    private final Runnable onSent;
    private final ArrayDeque<TaskStatus> queued = new ArrayDeque<>();
    /** Updates queued or in flight: a copy of one of these needs no acknowledgement of its own. */
    private final Set<UpdateKey> pending = new HashSet<>();
    private int inFlight;
    private long merged;

    /**
     * @param onSent run for every acknowledgement sent, and for every re-sent copy of an update whose acknowledgement
     *               is already on its way (that one acknowledgement covers both)
     */
    AckWindow(int max, Function<TaskStatus, CompletableFuture<Void>> send, BooleanSupplier gate, Executor loop,
              Runnable onSent) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
        this.send = send;
        this.gate = gate;
        this.loop = loop;
        this.onSent = onSent;
    }

    void acknowledge(TaskStatus status) {
        if (!pending.add(UpdateKey.of(status))) {
            merged++;
            LOG.trace("Update {} of {} re-sent while its acknowledgement is pending; not acknowledging it twice",
                    status.getState(), status.getTaskId().getValue());
            onSent.run();
            return;
        }
        queued.add(status);
        pump();
    }

    int queued() {
        return queued.size();
    }

    int inFlight() {
        return inFlight;
    }

    /** Re-sent copies that shared an acknowledgement already queued or in flight. */
    long merged() {
        return merged;
    }

    private void pump() {
        while (inFlight < max && !queued.isEmpty()) {
            TaskStatus status = queued.poll();
            if (!gate.getAsBoolean()) {
                // Unacknowledged updates come back from Mesos. Only what is on the wire stays pending.
                pending.remove(UpdateKey.of(status));
                queued.forEach(q -> pending.remove(UpdateKey.of(q)));
                queued.clear();
                return;
            }
            inFlight++;
            onSent.run();
            send.apply(status).whenCompleteAsync((ok, error) -> {
                inFlight--;
                pending.remove(UpdateKey.of(status));
                if (error != null) {
                    LOG.debug("Acknowledgement of {} failed ({}); Mesos will resend the update",
                            status.getTaskId().getValue(), error.toString());
                }
                pump();
            }, loop);
        }
    }
}
