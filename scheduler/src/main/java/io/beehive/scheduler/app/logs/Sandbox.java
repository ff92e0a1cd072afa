package io.beehive.scheduler.app.logs;

import java.net.URI;

/** Where a task's files are: the agent's base URI and the executor's {@code directory} on that agent. */
record Sandbox(String agentId, URI agent, String directory) {
    String file(String name) {
        return directory + "/" + name;
    }
}
