package io.beehive.scheduler.app.admin;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.dropwizard.servlets.tasks.PostBodyTask;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/reconcile}. The scheduler facade does not offer an on-demand reconciliation yet (the leader
 * reconciles after every subscription and every {@code reconciliation.interval}); until it does, this task says so
 * and reports when the last reconciliation finished, instead of pretending.
 */
public final class ReconcileTask extends PostBodyTask {
    private final ReplicaRuntime runtime;

    public ReconcileTask(ReplicaRuntime runtime) {
        super("reconcile");
        this.runtime = runtime;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, String body, PrintWriter output) {
        var s = runtime.scheduler();
        if (!s.isLeader()) {
            output.println("not the leader: run this task on " + s.leader().map(l -> l.participantId())
                    .orElse("the leader (none right now)"));
            return;
        }
        output.println("on-demand reconciliation is not available in this version; the leader reconciles after "
                + "every subscription and periodically. Last reconciliation: "
                + s.lastReconciliation().map(Object::toString).orElse("none yet"));
    }
}
