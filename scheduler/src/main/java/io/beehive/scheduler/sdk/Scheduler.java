package io.beehive.scheduler.sdk;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.util.List;

/**
 * What a framework implements: the callbacks of the classic Mesos scheduler libraries, delivered by a
 * {@link SchedulerDriver}. All callbacks run one at a time on the driver's single event thread, in the order the
 * master sent the events, interleaved with whatever the framework {@link SchedulerDriver#post posts}; framework
 * state touched only from callbacks therefore needs no locks. A callback must not block for long: it holds up every
 * later event.
 */
public interface Scheduler {

    /** First SUBSCRIBED of this driver. Persist {@code frameworkId} before accepting offers if it is new. */
    default void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {}

    /** A later SUBSCRIBED, after the driver reconnected (same framework id, possibly a new master). Reconcile now. */
    default void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {}

    /** The subscription was lost; the driver is reconnecting. Offers held so far are void. */
    default void disconnected(SchedulerDriver driver) {}

    default void resourceOffers(SchedulerDriver driver, List<Offer> offers) {}

    default void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

    /**
     * A task status update. If it carries a uuid, the framework must call
     * {@link SchedulerDriver#acknowledgeStatusUpdate} once it has recorded the new state; until then the agent keeps
     * resending it. Updates without uuid (reconciliation answers, master-generated) need no acknowledgement.
     */
    default void statusUpdate(SchedulerDriver driver, TaskStatus status) {}

    default void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, AgentID agentId, byte[] data) {}

    /** The agent was removed, marked unreachable or gone. */
    default void agentLost(SchedulerDriver driver, AgentID agentId) {}

    /** A custom executor exited; {@code status} is the raw wait status, or -1 if the master did not send one. */
    default void executorLost(SchedulerDriver driver, ExecutorID executorId, AgentID agentId, int status) {}

    /**
     * The master reported an error. After "Framework failed over" (another instance owns the framework), "Framework
     * has been removed" (the id is dead) or a refused subscription the driver has stopped for good;
     * {@link SchedulerDriver#state()} says which (FAILED_OVER, FRAMEWORK_REMOVED, REFUSED).
     */
    default void error(SchedulerDriver driver, String message) {}
}
