package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Mesos master itself says ({@code GET /state}, the local master or a real one): the truth about which tasks run, independent of
 * Beehive's own view. Task ids are {@code <jobId>.<instance>.<attempt>.<random>}, so a task's job is the part
 * before the first dot.
 *
 * @param masterId  the leading master's id (changes when the master restarts)
 * @param framework our framework's entry, if the master knows it
 */
record MesosMasterState(String masterId, Optional<JsonNode> framework) {
    /** States in which a task holds (or is about to hold) a copy of its job on an agent. */
    static final Set<String> LIVE = Set.of("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING");

    /** The state of whichever master leads (a standby answers 307, a dead one not at all), if one does. */
    static Optional<MesosMasterState> read(LocalDeployment deployment, String frameworkId) {
        for (java.net.URI master : deployment.mesosMasters("/master/state")) {
            Optional<MesosMasterState> state = read(deployment, master, frameworkId);
            if (state.isPresent()) {
                return state;
            }
        }
        return Optional.empty();
    }

    private static Optional<MesosMasterState> read(LocalDeployment deployment, java.net.URI master, String frameworkId) {
        return deployment.getJson(master).map(state -> {
            JsonNode fw = null;
            for (JsonNode f : state.path("frameworks")) {
                if (f.path("id").asText().equals(frameworkId)) {
                    fw = f;
                }
            }
            return new MesosMasterState(state.path("id").asText(), Optional.ofNullable(fw));
        });
    }

    static String jobOf(String taskId) {
        int dot = taskId.indexOf('.');
        return dot < 0 ? taskId : taskId.substring(0, dot);
    }

    /** Task id → Mesos state of every task the master lists for our framework. */
    Map<String, String> taskStates() {
        Map<String, String> out = new HashMap<>();
        framework.ifPresent(f -> f.path("tasks").forEach(t -> out.put(t.path("id").asText(), t.path("state").asText())));
        return out;
    }

    /**
     * Task id → the master's entry, of the tasks it lists for our framework under {@code tasks},
     * {@code unreachable_tasks} and {@code completed_tasks} (a real master moves a terminal task to the latter).
     */
    Map<String, JsonNode> allTasks() {
        Map<String, JsonNode> out = new HashMap<>();
        framework.ifPresent(f -> {
            for (String list : new String[] {"completed_tasks", "unreachable_tasks", "tasks"}) {
                f.path(list).forEach(t -> out.put(t.path("id").asText(), t));
            }
        });
        return out;
    }

    /** Live tasks (see {@link #LIVE}) per job. */
    Map<String, List<String>> liveTasksByJob() {
        Map<String, List<String>> out = new HashMap<>();
        taskStates().forEach((id, state) -> {
            if (LIVE.contains(state)) {
                out.computeIfAbsent(jobOf(id), j -> new ArrayList<>()).add(id);
            }
        });
        return out;
    }

    boolean frameworkConnected() {
        return framework.map(f -> f.path("connected").asBoolean() && f.path("active").asBoolean()).orElse(false);
    }
}
