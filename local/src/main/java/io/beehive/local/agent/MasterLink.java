package io.beehive.local.agent;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** What an agent sends to the master it is registered with (messages, not calls: nothing is answered). */
public interface MasterLink {

    /** A reliable status update (with uuid); {@code latestState} is the agent's newest state of the task. */
    void statusUpdate(String agentId, String frameworkId, TaskStatus status, TaskState latestState);

    /**
     * The task's newest state while an older update is still waiting for its acknowledgement: the master's task
     * state follows it (and frees the resources of a terminal task) although the scheduler has not seen it yet.
     */
    void latestState(String agentId, String frameworkId, String taskId, TaskState latestState);
}
