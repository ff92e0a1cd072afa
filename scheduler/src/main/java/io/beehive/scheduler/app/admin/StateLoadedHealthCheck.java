package io.beehive.scheduler.app.admin;

import com.codahale.metrics.health.HealthCheck;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.scheduler.core.LifecyclePhase;

import java.util.Optional;

/** The leader has read its state from ZooKeeper; a follower reads on demand and needs no loading. */
public final class StateLoadedHealthCheck extends HealthCheck {
    private final ReplicaRuntime runtime;

    public StateLoadedHealthCheck(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected Result check() {
        Optional<BeehiveScheduler> s = runtime.schedulerIfRunning();
        if (s.isEmpty()) {
            return Result.unhealthy("replica is %s", runtime.phase());
        }
        LifecyclePhase phase = s.get().phase();
        if (phase == LifecyclePhase.LOADING) {
            return Result.unhealthy("leader still loading its state");
        }
        return Result.healthy(phase.isLeading() ? "leader, state loaded (%d jobs, %d tasks)"
                : "follower: reads come from ZooKeeper", s.get().jobs().size(), s.get().tasks().size());
    }
}
