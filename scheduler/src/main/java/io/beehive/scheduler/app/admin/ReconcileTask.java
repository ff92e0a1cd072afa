package io.beehive.scheduler.app.admin;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.core.term.CommandRejectedException;
import io.beehive.scheduler.core.term.NotLeadingException;
import io.dropwizard.servlets.tasks.PostBodyTask;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /tasks/reconcile}: asks the leader to reconcile every task with Mesos now (explicit, then implicit,
 * as after a subscription) and waits for it to finish. The wait is bounded: a large cluster may take longer than
 * an operator's HTTP client waits, and the reconciliation goes on regardless of the answer.
 */
public final class ReconcileTask extends PostBodyTask {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    private final ReplicaRuntime runtime;
    private final Duration wait;

    public ReconcileTask(ReplicaRuntime runtime) {
        this(runtime, DEFAULT_WAIT);
    }

    ReconcileTask(ReplicaRuntime runtime, Duration wait) {
        super("reconcile");
        this.runtime = runtime;
        this.wait = wait;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, String body, PrintWriter output) throws Exception {
        var s = runtime.scheduler();
        try {
            Instant finished = s.reconcileNow().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            output.println("reconciliation finished. Last reconciliation: " + finished);
        } catch (TimeoutException e) {
            output.println("reconciliation started but not finished after " + wait.toSeconds()
                    + " s; it goes on (see the phase on /leaderhealth and the log)");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NotLeadingException) {
                output.println("not the leader: run this task on " + s.leader().map(l -> l.participantId())
                        .orElse("the leader (none right now)"));
            } else if (cause instanceof CommandRejectedException) {
                output.println("not reconciling: " + cause.getMessage());
            } else {
                throw e;
            }
        }
    }
}
