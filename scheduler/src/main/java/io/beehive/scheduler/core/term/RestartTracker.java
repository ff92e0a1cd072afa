package io.beehive.scheduler.core.term;

import io.beehive.state.record.RestartPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * When a failed slot (a service instance, a daemon's agent, a batch instance) may get its next task: exponential
 * backoff on the failures inside the crash-loop window; once the guard's count is reached the slot is crash-looping
 * and waits the policy's maximum delay each time, so a broken command cannot hammer the cluster or ZooKeeper.
 * In memory only: a new leader starts with a clean slate, which costs at most one quick retry.
 */
final class RestartTracker {
    private static final Logger LOG = LoggerFactory.getLogger(RestartTracker.class);

    private final Map<String, Deque<Long>> failures = new HashMap<>();
    private final Map<String, Long> notBefore = new HashMap<>();

    /** @return the time (epoch ms) before which the slot gets no new task */
    long failed(String slot, RestartPolicy policy, long nowMillis) {
        Deque<Long> times = failures.computeIfAbsent(slot, s -> new ArrayDeque<>());
        times.addLast(nowMillis);
        long windowStart = nowMillis - policy.crashLoopGuard().windowMillis();
        while (!times.isEmpty() && times.peekFirst() < windowStart) {
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
        return when;
    }

    boolean ready(String slot, long nowMillis) {
        Long when = notBefore.get(slot);
        return when == null || when <= nowMillis;
    }

    void forget(String slot) {
        failures.remove(slot);
        notBefore.remove(slot);
    }
}
