package io.beehive.state.record;

/** What a Mesos health check probes: a command in the task's sandbox, an HTTP GET, or a TCP connect. */
public enum HealthCheckType {
    COMMAND,
    HTTP,
    TCP
}
