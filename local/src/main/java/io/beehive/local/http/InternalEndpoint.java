package io.beehive.local.http;

/**
 * Extra POST routes under {@code /internal/} on a master's or an agent's port: the agent-master protocol of a
 * cluster whose masters and agents run in separate processes. Absent (404) in the one-JVM cluster.
 */
public interface InternalEndpoint {

    /** The answer: a status and a {@code text/plain} body (the reason of a 4xx). */
    record Reply(int status, String body) {}

    Reply handle(String path, byte[] body);
}
