package io.beehive.scheduler.app.view;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.scheduler.core.LifecyclePhase;

import io.beehive.state.StateLayout;
import io.beehive.state.record.FailoverHistory;

import java.util.List;
import java.util.Optional;

/** Picks the view a read is served from: the leader's memory once it has loaded the state, else the mirror. */
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
        return new MirrorStateView(s.mirror());
    }

    /** The last fail-overs, newest first, as every new leader recorded them in ZooKeeper. */
    public FailoverHistory failovers() {
        return StoredJson.read(runtime.zookeeper().orElseThrow(),
                new StateLayout(runtime.stateRoot()).failoverHistory(), FailoverHistory.class)
                .orElse(FailoverHistory.EMPTY);
    }

    /** The replicas in the election, read from ZooKeeper (the same answer on every replica). */
    public List<ReplicaDirectory.Participant> replicas() {
        return new ReplicaDirectory(runtime.zookeeper().orElseThrow(), runtime.stateRoot()).participants();
    }

    /** The current term as every replica reports it (see {@link TermFacts}); reads ZooKeeper. */
    public TermFacts term() {
        BeehiveScheduler s = runtime.scheduler();
        return TermFacts.of(new TermStatusReader(runtime.zookeeper().orElseThrow(), runtime.stateRoot()).read(),
                s.leader(), s);
    }
}
