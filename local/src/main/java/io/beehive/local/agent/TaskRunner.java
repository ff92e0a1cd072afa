package io.beehive.local.agent;

import java.time.Duration;

/** Runs one command task (the command executor's job): reports through its {@link AgentTask}. */
interface TaskRunner {

    void start();

    /** Kills the task: SIGTERM, then SIGKILL after {@code gracePeriod}; ends in TASK_KILLED. */
    void kill(Duration gracePeriod);

    /** Stops at once without reporting anything (framework removed, cluster closing). */
    void destroy();
}
