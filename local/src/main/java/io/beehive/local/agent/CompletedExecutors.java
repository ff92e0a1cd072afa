package io.beehive.local.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executors that ended, per framework, as a real agent keeps them for {@code GET /state}
 * ({@code completed_executors}) and for the files API: the newest 150 per framework and the newest 50 frameworks
 * (Mesos 1.11 {@code max_completed_executors_per_framework} and {@code MAX_COMPLETED_FRAMEWORKS}). With the
 * command executor an executor is its task. Lives on the event loop.
 */
final class CompletedExecutors {

    static final int PER_FRAMEWORK = 150;
    static final int FRAMEWORKS = 50;

    private final Map<String, Deque<AgentTask>> byFramework = new LinkedHashMap<>();

    void add(AgentTask task) {
        Deque<AgentTask> list = byFramework.remove(task.frameworkId);
        if (list == null) {
            list = new ArrayDeque<>();
        }
        // re-inserted: the map's order is the order frameworks last completed an executor, oldest first
        byFramework.put(task.frameworkId, list);
        list.removeIf(t -> t.id().equals(task.id()));
        list.addLast(task);
        while (list.size() > PER_FRAMEWORK) {
            list.removeFirst();
        }
        trimFrameworks();
    }

    List<AgentTask> of(String frameworkId) {
        Deque<AgentTask> list = byFramework.get(frameworkId);
        return list == null ? List.of() : List.copyOf(list);
    }

    Iterable<String> frameworkIds() {
        return List.copyOf(byFramework.keySet());
    }

    List<AgentTask> all() {
        List<AgentTask> out = new ArrayList<>();
        byFramework.values().forEach(out::addAll);
        return out;
    }

    private void trimFrameworks() {
        Iterator<String> oldest = byFramework.keySet().iterator();
        while (byFramework.size() > FRAMEWORKS && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
