package io.beehive.scheduler.app.admin;

import com.codahale.metrics.health.HealthCheck;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.scheduler.core.LifecyclePhase;

import java.util.Optional;

/**
 * On the leader: healthy once subscribed to Mesos (reconciling or active). A follower has no subscription by
 * design and is healthy. The leader is unhealthy while loading, subscribing or suspended.
 */
public final class MesosSubscriptionHealthCheck extends HealthCheck {
    private final ReplicaRuntime runtime;

    public MesosSubscriptionHealthCheck(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected Result check() {
        Optional<BeehiveScheduler> s = runtime.schedulerIfRunning();
        if (s.isEmpty()) {
            return Result.unhealthy("replica is %s", runtime.phase());
        }
        LifecyclePhase phase = s.get().phase();
        if (!phase.isLeading()) {
            return Result.healthy("follower (%s): not subscribed by design", phase);
        }
        return phase == LifecyclePhase.ACTIVE || phase == LifecyclePhase.RECONCILING
                ? Result.healthy("leader, subscribed (%s)", phase)
                : Result.unhealthy("leader but not subscribed to Mesos (%s)", phase);
    }
}
