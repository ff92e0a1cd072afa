package io.beehive.scheduler.core.term;

import io.beehive.scheduler.mesos.SchedulerCalls;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One explicit reconciliation (mesos-v1-scheduler.md §4.2): the tasks that have not answered yet, the backoff
 * between rounds (truncated exponential) and the deadline after which the term stops waiting. Confined to the
 * event loop.
 */
final class Reconciliation {
    private final Map<String, String> unanswered = new LinkedHashMap<>();
    private final long startedNanos;
    private final long deadlineNanos;
    private final Duration maxBackoff;
    private Duration nextBackoff;
    private int rounds;

    Reconciliation(Map<String, String> taskToAgent, Duration initialBackoff, Duration maxBackoff,
                   Duration maxDuration, long nowNanos) {
        this.unanswered.putAll(taskToAgent);
        this.startedNanos = nowNanos;
        this.deadlineNanos = nowNanos + maxDuration.toNanos();
        this.nextBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    void answered(String taskId) {
        unanswered.remove(taskId);
    }

    boolean complete() {
        return unanswered.isEmpty();
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    int unansweredCount() {
        return unanswered.size();
    }

    int rounds() {
        return rounds;
    }

    long elapsedMillis(long nowNanos) {
        return (nowNanos - startedNanos) / 1_000_000;
    }

    /** The RECONCILE calls of the next round, each with at most {@code batchSize} tasks. */
    List<List<Call.Reconcile.Task>> nextRound(int batchSize) {
        rounds++;
        List<List<Call.Reconcile.Task>> batches = new ArrayList<>();
        List<Call.Reconcile.Task> current = new ArrayList<>();
        for (Map.Entry<String, String> e : unanswered.entrySet()) {
            current.add(SchedulerCalls.reconcileTask(TaskID.newBuilder().setValue(e.getKey()).build(),
                    e.getValue() == null ? null : AgentID.newBuilder().setValue(e.getValue()).build()));
            if (current.size() == batchSize) {
                batches.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Delay before the next round: doubles each time, capped at the maximum. */
    Duration takeBackoff() {
        Duration d = nextBackoff;
        Duration doubled = nextBackoff.multipliedBy(2);
        nextBackoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
        return d;
    }
}
