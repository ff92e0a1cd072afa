package io.beehive.scheduler.app.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.state.record.TaskRecord;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a task's sandbox the way any Mesos tool does, with nothing a real agent does not offer: the agent's address
 * from the master ({@link AgentDirectory}), then the agent's {@code GET /state}: the executor whose id is the task's
 * (the command executor) or that holds the task, under {@code frameworks[].executors[]} or
 * {@code completed_executors[]}, in {@code frameworks[]} or {@code completed_frameworks[]}; its {@code directory}
 * is the sandbox. A sandbox's directory never changes, so directories are remembered (the newest 10,000); whether
 * the agent is still in the cluster is asked every time.
 */
final class SandboxLocator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REMEMBERED = 10_000;

    private final AgentDirectory agents;
    private final AgentHttp http;
    private final Map<String, String> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    SandboxLocator(AgentDirectory agents, AgentHttp http) {
        this.agents = agents;
        this.http = http;
    }

    Sandbox locate(TaskRecord task, Optional<String> frameworkId) {
        String agentId = task.agentId();
        if (agentId == null || agentId.isEmpty()) {
            throw new LogUnavailableException(LogUnavailableException.NOT_LAUNCHED, "task " + task.taskId()
                    + " has not been launched on an agent yet (" + task.state() + "): it has no logs yet");
        }
        // asked every time (the master's list is cached briefly): a sandbox on an agent that left is gone
        URI agent = agents.agent(agentId).orElseThrow(() -> agentMissing(task));
        String key = agentId + "/" + task.taskId();
        String directory;
        synchronized (known) {
            directory = known.get(key);
        }
        if (directory == null) {
            directory = directory(task, agent, frameworkId);
            synchronized (known) {
                known.put(key, directory);
            }
        }
        return new Sandbox(agentId, agent, directory);
    }

    /** Not in the master's list: gone for good, unless Beehive knows the agent is only partitioned. */
    private static LogUnavailableException agentMissing(TaskRecord task) {
        if (task.state() == io.beehive.state.record.TaskState.TASK_UNREACHABLE) {
            return new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE, "agent " + task.agentId()
                    + " of task " + task.taskId() + " is unreachable; its logs can be read when it is back");
        }
        return new LogUnavailableException(LogUnavailableException.GONE, "agent " + task.agentId() + " of task "
                + task.taskId() + " is no longer in the cluster (removed or gone): the sandbox is gone");
    }

    private String directory(TaskRecord task, URI agent, Optional<String> frameworkId) {
        AgentHttp.Answer answer = http.get(agent.resolve("/state"), "agent " + task.agentId() + " at " + agent);
        if (answer.status() != 200) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE, "agent " + task.agentId()
                    + " at " + agent + " answered " + answer.status() + " to GET /state");
        }
        JsonNode state;
        try {
            state = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new LogUnavailableException(LogUnavailableException.AGENT_UNREACHABLE, "agent " + task.agentId()
                    + " sent a /state that is not JSON: " + e.getMessage());
        }
        for (String frameworks : new String[] {"frameworks", "completed_frameworks"}) {
            for (JsonNode framework : state.path(frameworks)) {
                if (frameworkId.isPresent() && !frameworkId.get().equals(framework.path("id").asText())) {
                    continue;
                }
                for (String executors : new String[] {"executors", "completed_executors"}) {
                    for (JsonNode executor : framework.path(executors)) {
                        if (runs(executor, task.taskId()) && executor.hasNonNull("directory")) {
                            return executor.path("directory").asText();
                        }
                    }
                }
            }
        }
        throw new LogUnavailableException(LogUnavailableException.GONE, "agent " + task.agentId()
                + " no longer knows task " + task.taskId() + ": its sandbox is gone");
    }

    private static boolean runs(JsonNode executor, String taskId) {
        if (taskId.equals(executor.path("id").asText())) {
            return true;
        }
        for (String list : new String[] {"tasks", "queued_tasks", "completed_tasks"}) {
            for (JsonNode t : executor.path(list)) {
                if (taskId.equals(t.path("id").asText())) {
                    return true;
                }
            }
        }
        return false;
    }
}
