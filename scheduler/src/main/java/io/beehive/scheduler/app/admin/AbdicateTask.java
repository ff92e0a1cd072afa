package io.beehive.scheduler.app.admin;

import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.dropwizard.servlets.tasks.PostBodyTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/abdicate}: this replica hands leadership to another (waits for a successor, bounded). */
public final class AbdicateTask extends PostBodyTask {
    private static final Logger LOG = LoggerFactory.getLogger(AbdicateTask.class);
    private final ReplicaRuntime runtime;

    public AbdicateTask(ReplicaRuntime runtime) {
        super("abdicate");
        this.runtime = runtime;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, String body, PrintWriter output) {
        LOG.warn("Operator asked this replica to abdicate");
        boolean handedOver = runtime.scheduler().abdicate();
        output.println(handedOver ? "abdicated: another replica leads now (or will shortly)"
                : "not the leader: nothing to hand over");
    }
}
