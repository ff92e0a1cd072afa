package io.beehive.local.conformance;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reliable updates of one task as a scheduler sees them: a re-sent copy (same uuid) is dropped and each update
 * is acknowledged when first seen, so the agent sends the next one. Scans the subscription's history with a cursor
 * of its own, so waiting here does not move the subscription's.
 */
final class TaskUpdates {

    private final RawScheduler fw;
    private final String taskId;
    private final Set<ByteString> seen = new HashSet<>();
    private final List<Subscription.Received> distinct = new ArrayList<>();
    private int scanned;

    TaskUpdates(RawScheduler fw, String taskId) {
        this.fw = fw;
        this.taskId = taskId;
    }

    /** Waits for the task's next new update and acknowledges it. */
    Subscription.Received next(Duration within) {
        Subscription.Received received = await("next update of " + taskId).atMost(within)
                .pollInterval(Duration.ofMillis(20)).until(this::poll, Optional::isPresent).orElseThrow();
        fw.call(Calls.acknowledge(fw.frameworkId, status(received)));
        return received;
    }

    /** The next new update, which must be in that state. */
    Subscription.Received next(TaskState state, Duration within) {
        Subscription.Received received = next(within);
        assertThat(status(received).getState()).as("update %d of %s: %s", distinct.size(), taskId,
                received.record().text()).isEqualTo(state);
        return received;
    }

    /**
     * Every distinct update received so far, after a barrier: an explicit reconciliation of the task, whose answer
     * the master sends after everything the agent had sent before the call, acknowledgements included.
     */
    List<Subscription.Received> settled() {
        int from = fw.stream.history().size();
        fw.call(Calls.reconcile(fw.frameworkId, taskId, null));
        await("reconciliation answer for " + taskId).atMost(Subscription.DEFAULT_WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> fw.stream.history().stream().skip(from).anyMatch(r -> isOfTask(r)
                        && status(r).getReason() == TaskStatus.Reason.REASON_RECONCILIATION));
        while (poll().isPresent()) {
            fw.call(Calls.acknowledge(fw.frameworkId, status(distinct.get(distinct.size() - 1))));
        }
        return List.copyOf(distinct);
    }

    /** The latest reconciliation answer about the task (after {@link #settled()}). */
    TaskStatus lastReconciliationAnswer() {
        List<Subscription.Received> history = fw.stream.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (isOfTask(history.get(i)) && status(history.get(i)).getReason() == TaskStatus.Reason.REASON_RECONCILIATION) {
                return status(history.get(i));
            }
        }
        throw new AssertionError("no reconciliation answer about " + taskId);
    }

    List<Subscription.Received> received() {
        return List.copyOf(distinct);
    }

    static TaskStatus status(Subscription.Received received) {
        return received.event().getUpdate().getStatus();
    }

    private boolean isOfTask(Subscription.Received r) {
        return r.event().getType() == Event.Type.UPDATE && status(r).getTaskId().getValue().equals(taskId);
    }

    /** The next update with a uuid not seen before, if one has arrived. */
    private synchronized Optional<Subscription.Received> poll() {
        List<Subscription.Received> history = fw.stream.history();
        while (scanned < history.size()) {
            Subscription.Received r = history.get(scanned++);
            if (isOfTask(r) && status(r).hasUuid() && seen.add(status(r).getUuid())) {
                distinct.add(r);
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
