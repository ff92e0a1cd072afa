package io.beehive.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A local Mesos cluster: one or more masters speaking the v1 scheduler HTTP API on 127.0.0.1, and agents that run
 * command tasks as real processes (or on timers). It behaves, for everything a scheduler can observe, as a Mesos
 * 1.11 master does (../shared/mesos-v1-scheduler.md); where it does not, README.md says so.
 *
 * <p>This is the public surface every test and the embedded default use. The fault-injection methods are how
 * tests provoke what real clusters do to schedulers.
 */
public interface LocalCluster extends AutoCloseable {

    /** Starts the masters and agents; returns once the leading master answers and every agent is registered. */
    static LocalCluster start(LocalClusterConfig config) {
        return new InProcessCluster(config);
    }

    /** Base URI of the leading master, e.g. {@code http://127.0.0.1:5050}. */
    URI leaderUri();

    /** Base URIs of all masters, leader first. */
    List<URI> masterUris();

    /** The leading master's id (a random UUID; framework, offer and agent ids derive from it). */
    String masterId();

    /** Agent ids in the order of {@link LocalClusterConfig#agents()}. */
    List<String> agentIds();

    /** The sandbox directory of a task launched by the given framework (holds {@code stdout} and {@code stderr}). */
    Path sandbox(String frameworkId, String taskId);

    /** Base URI of an agent's HTTP API ({@code /state}, {@code /files/...}): its advertised port on 127.0.0.1. */
    URI agentUri(String agentId);

    // ---- fault injection -------------------------------------------------------------------------------------

    /** The agent stops answering pings; after agent_ping_timeout × max_agent_ping_timeouts the master marks it unreachable. */
    void partitionAgent(String agentId);

    /** Marks the agent unreachable now (as if its health check timed out), without waiting for the ping timeouts. */
    void markAgentUnreachable(String agentId);

    /** Heals a partition: the agent re-registers and reports its tasks (REASON_AGENT_REREGISTERED for unreachable ones). */
    void healAgent(String agentId);

    /** The master–agent socket breaks (the agent stays registered but disconnected), as in §3.6 "Agent socket breaks". */
    void disconnectAgent(String agentId);

    /** The agent unregisters (graceful agent shutdown): its tasks get TASK_LOST / REASON_AGENT_REMOVED. */
    void removeAgent(String agentId);

    /** Operator MARK_AGENT_GONE. */
    void markAgentGone(String agentId);

    /** The agent's HTTP port closes (connections refused); the agent itself runs on. */
    void stopAgentHttp(String agentId);

    /**
     * The leading master fails over: a new master (new id) takes over that knows no frameworks until agents
     * re-register and schedulers re-subscribe. With ZooKeeper it is a standby that wins the election; without,
     * the master restarts in place on the same port. Every open subscription stream is closed.
     */
    void failoverMaster();

    /** Stops (true) or resumes (false) heartbeats on every subscription stream. */
    void suspendHeartbeats(boolean suspended);

    /** Closes the given framework's subscription stream from the master's side, as a network failure would. */
    void dropSubscription(String frameworkId);

    /**
     * Writes raw bytes onto the framework's subscription stream, as they are, outside the RecordIO framing: how
     * tests feed a client a bad length prefix, a truncated or oversized record, or an undecodable event. Follow
     * with {@link #dropSubscription(String)} to reset the connection mid-record.
     */
    void injectStreamBytes(String frameworkId, byte[] raw);

    /** Sets or clears ({@code null}) the master's offer timeout. */
    void offerTimeout(Duration timeout);

    /** Stops everything: kills task processes, closes streams, frees ports. */
    @Override
    void close();
}
