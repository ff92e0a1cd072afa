package io.beehive.local.agent;

import com.google.protobuf.ByteString;
import io.beehive.local.AgentSpec;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * An agent as a master sees it: what it offers, where it listens, what it reported when it (re-)registered, and
 * the messages a master sends it. {@link LocalAgent} in the master's JVM; {@code RemoteAgent} in another process.
 * Messages are one-way, as in Mesos: nothing is answered, outcomes come back as status updates.
 */
public interface AgentLink {

    String id();

    AgentSpec spec();

    /** The agent's HTTP port on 127.0.0.1 (advertised in offers and {@code /state}). */
    int port();

    /** Every task the agent knows, with its latest status: what it reports when it (re-)registers. */
    List<LocalAgent.TaskReport> report();

    /** The master accepted the agent's (re-)registration; updates the agent holds are re-sent. */
    void connect(MasterLink master);

    /** The master stops talking to the agent (socket broken, partition, marked unreachable). */
    void disconnect();

    void runTask(String frameworkId, FrameworkInfo frameworkInfo, TaskInfo task);

    void killTask(String frameworkId, String taskId, Duration gracePeriodOverride);

    void acknowledge(String frameworkId, String taskId, ByteString uuid);

    /** The framework re-subscribed: its pending updates are re-sent, its new FrameworkInfo kept. */
    void frameworkUpdated(String frameworkId, FrameworkInfo info);

    /** The framework was removed: its tasks are killed without reports. */
    void shutdownFramework(String frameworkId);

    /** The agent was removed or marked gone: every task is killed. */
    void destroyAll();
}
