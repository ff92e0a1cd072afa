package io.beehive.scheduler.app.view;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.scheduler.core.LifecyclePhase;

/** Picks the view a read is served from: the leader's memory once it has loaded the state, else ZooKeeper. */
public final class StateViews {
    private final ReplicaRuntime runtime;

    public StateViews(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    public StateView current() {
        BeehiveScheduler s = runtime.scheduler();
        LifecyclePhase phase = s.phase();
        if (phase.isLeading() && phase != LifecyclePhase.LOADING) {
            return new LeaderStateView(s);
        }
        return new StoredStateView(runtime.zookeeper().orElseThrow(), runtime.stateRoot());
    }
}
