package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How failed tasks are retried.
 *
 * @param maxRetries relaunches after a failure for a BATCH job (0 = run once); ignored by SERVICE and DAEMON,
 *                   which are always relaunched (subject to backoff and the crash-loop guard)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestartPolicy(int maxRetries, BackoffPolicy backoff, CrashLoopGuard crashLoopGuard) {
    public static final RestartPolicy DEFAULT = new RestartPolicy(3, BackoffPolicy.DEFAULT, CrashLoopGuard.DEFAULT);

    public RestartPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
        }
        backoff = backoff == null ? BackoffPolicy.DEFAULT : backoff;
        crashLoopGuard = crashLoopGuard == null ? CrashLoopGuard.DEFAULT : crashLoopGuard;
    }
}
