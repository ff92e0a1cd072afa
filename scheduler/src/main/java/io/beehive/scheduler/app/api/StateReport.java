package io.beehive.scheduler.app.api;

import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.view.StateView;
import io.beehive.scheduler.app.view.TermFacts;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.state.record.TaskRecord;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the state summary shown by {@code GET /v1/state} and the admin {@code /beehive} view. */
public final class StateReport {
    private final ReplicaRuntime runtime;
    private final StateViews views;

    public StateReport(ReplicaRuntime runtime, StateViews views) {
        this.runtime = runtime;
        this.views = views;
    }

    public StateSummary summary() {
        BeehiveScheduler s = runtime.scheduler();
        StateView view = views.current();
        Map<String, Long> counts = new TreeMap<>();
        for (TaskRecord t : view.tasks()) {
            counts.merge(t.state().name(), 1L, Long::sum);
        }
        Optional<LeaderInfo> leader = s.leader();
        boolean leads = s.isLeader();
        TermFacts term = views.term();
        return new StateSummary(
                runtime.selfAddress().orElse(null),
                leads ? "leader" : "follower",
                s.phase().name(),
                leader.map(LeaderInfo::participantId).orElse(null),
                leader.map(l -> l.since().toString()).orElse(null),
                term.frameworkId() != null ? term.frameworkId() : view.frameworkId().orElse(null),
                counts,
                view.jobs().size(),
                term.epoch(),
                term.subscribedAt(),
                term.lastReconciliation(),
                term.electedAt(),
                term.failoverMillis(),
                term.source(),
                view.authoritative() ? "leader" : "follower",
                replicas(),
                views.failovers().entries().stream().map(FailoverView::of).toList());
    }

    /** The election's participants, each with its role as this replica's election sees it. */
    public List<ReplicaView> replicas() {
        String leader = runtime.scheduler().leader().map(LeaderInfo::participantId).orElse(null);
        String self = runtime.selfAddress().orElse(null);
        return views.replicas().stream()
                .map(p -> new ReplicaView(p.address(), "http://" + p.address() + "/",
                        p.address().equals(leader) ? "leader" : "follower", p.address().equals(self)))
                .toList();
    }
}
