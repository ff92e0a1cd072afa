package io.beehive.scheduler.core.term;

import com.codahale.metrics.Counter;
import io.beehive.scheduler.sdk.SchedulerDriver;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Sends KILLs and re-sends them until the task is terminal. Mesos does not guarantee a KILL reaches the executor
 * (an agent that is re-registering, a dropped message), and a KILL is only acted on once: remembering when each
 * was last sent lets housekeeping repeat it without flooding the master. Confined to the term's loop.
 */
final class KillSender {
    private final Duration retryInterval;
    private final BooleanSupplier mayCall;
    private final Supplier<SchedulerDriver> driver;
    private final Counter sent;
    private final Map<String, Long> lastSentNanos = new HashMap<>();

    /**
     * @param mayCall false once the term is no longer current: a halted term sends nothing
     * @param driver  the term's driver, null before it exists
     */
    KillSender(Duration retryInterval, BooleanSupplier mayCall, Supplier<SchedulerDriver> driver, Counter sent) {
        this.retryInterval = retryInterval;
        this.mayCall = mayCall;
        this.driver = driver;
        this.sent = sent;
    }

    void send(String taskId, String agentId) {
        SchedulerDriver d = driver.get();
        if (!mayCall.getAsBoolean() || d == null) {
            return;
        }
        lastSentNanos.put(taskId, System.nanoTime());
        d.killTask(TaskID.newBuilder().setValue(taskId).build(),
                agentId == null ? null : AgentID.newBuilder().setValue(agentId).build());
        sent.inc();
    }

    /** For a task that should be dead but is not terminal yet: sends again once the retry interval has passed. */
    void resendIfDue(String taskId, String agentId, long nowNanos) {
        Long last = lastSentNanos.get(taskId);
        if (last == null || nowNanos - last >= retryInterval.toNanos()) {
            send(taskId, agentId);
        }
    }

    /** The task is terminal: nothing more to send, nothing to remember. */
    void forget(String taskId) {
        lastSentNanos.remove(taskId);
    }
}
