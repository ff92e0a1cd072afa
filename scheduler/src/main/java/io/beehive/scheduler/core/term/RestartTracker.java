package io.beehive.scheduler.core.term;

import io.beehive.state.record.JobRecord;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.SlotBackoff;
import io.beehive.state.record.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a failed slot (a service instance, a daemon's agent, a batch instance) may get its next task: exponential
 * backoff on the failures inside the crash-loop window; once the guard's count is reached the slot is crash-looping
 * and waits the policy's maximum delay each time, so a broken command cannot hammer the cluster or ZooKeeper.
 *
 * <p>Each failure's outcome ({@link SlotBackoff}) is stored on the failed task's record in the same write as the
 * failure, and a new leader rebuilds the tracker from those ({@link #restore}): a fail-over must not give a
 * crash-looping task an immediate relaunch or reset its guard.
 */
final class RestartTracker {
    private static final Logger LOG = LoggerFactory.getLogger(RestartTracker.class);

    private final Map<String, Deque<Long>> failures = new HashMap<>();
    private final Map<String, Long> notBefore = new HashMap<>();

    /** Records a failure of the slot; the result says until when it waits, and is what gets persisted. */
    SlotBackoff failed(String slot, RestartPolicy policy, long nowMillis) {
        Deque<Long> times = failures.computeIfAbsent(slot, s -> new ArrayDeque<>());
        times.addLast(nowMillis);
        long windowStart = nowMillis - policy.crashLoopGuard().windowMillis();
        while (!times.isEmpty() && times.peekFirst() < windowStart) {
            times.removeFirst();
        }
        // The newest `failures` entries decide whether the guard trips; older ones need not be kept (or stored).
        while (times.size() > policy.crashLoopGuard().failures()) {
            times.removeFirst();
        }
        long delay;
        if (times.size() >= policy.crashLoopGuard().failures()) {
            delay = policy.backoff().maxMillis();
            LOG.warn("{} is crash-looping ({} failures in {} ms): next attempt in {} ms", slot, times.size(),
                    policy.crashLoopGuard().windowMillis(), delay);
        } else {
            delay = policy.backoff().delayMillis(times.size());
        }
        long when = nowMillis + delay;
        notBefore.put(slot, when);
        return new SlotBackoff(when, List.copyOf(times));
    }

    boolean ready(String slot, long nowMillis) {
        Long when = notBefore.get(slot);
        return when == null || when <= nowMillis;
    }

    /** Until when the slot waits (epoch ms), 0 if it does not. */
    long notBefore(String slot) {
        return notBefore.getOrDefault(slot, 0L);
    }

    void forget(String slot) {
        failures.remove(slot);
        notBefore.remove(slot);
    }

    /**
     * Rebuilds the slots' backoff from loaded records: per slot, the failed record with the newest backoff wins.
     *
     * @return how many slots were restored
     */
    int restore(TaskBook book) {
        Map<String, SlotBackoff> newest = new HashMap<>();
        for (TaskRecord t : book.tasksWithBackoff()) {
            JobRecord job = book.job(t.jobId());
            if (job != null) {
                newest.merge(DemandPlanner.slotOf(job, t), t.backoff(),
                        (a, b) -> a.notBeforeMillis() >= b.notBeforeMillis() ? a : b);
            }
        }
        newest.forEach((slot, b) -> {
            failures.put(slot, new ArrayDeque<>(b.recentFailuresMillis()));
            notBefore.put(slot, b.notBeforeMillis());
        });
        return newest.size();
    }
}
