package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The restart backoff of a task's slot as it stood when the task failed, stored on that failed task's record in the
 * same fenced write as the failure. A new leader rebuilds its backoff and crash-loop guard from these, so a
 * fail-over does not hand a crash-looping task an immediate relaunch.
 *
 * @param notBeforeMillis     the slot gets no new task before this time (epoch ms)
 * @param recentFailuresMillis the slot's latest failure times inside the crash-loop window, oldest first (at most
 *                            the guard's failure count: enough to decide whether the guard trips)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlotBackoff(long notBeforeMillis, List<Long> recentFailuresMillis) {
    public SlotBackoff {
        Checks.notNegative(notBeforeMillis, "backoff notBeforeMillis");
        recentFailuresMillis = recentFailuresMillis == null ? List.of() : List.copyOf(recentFailuresMillis);
    }
}
