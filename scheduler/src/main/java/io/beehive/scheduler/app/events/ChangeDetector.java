package io.beehive.scheduler.app.events;

import io.beehive.election.LeaderInfo;
import io.beehive.state.record.TaskRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns successive snapshots (tasks and leader) into change events. The first snapshot only sets the baseline, so
 * a subscriber sees changes from the moment it connects, not a replay of every task. Not thread-safe: one poller
 * drives it.
 */
final class ChangeDetector {
    private Map<String, TaskRecord> tasks;
    private String leaderKey;

    List<BeehiveEvent> next(Collection<TaskRecord> current, Optional<LeaderInfo> leader) {
        List<BeehiveEvent> events = new ArrayList<>();
        String at = Instant.now().toString();
        Map<String, TaskRecord> now = new HashMap<>();
        current.forEach(t -> now.put(t.taskId(), t));
        String key = leader.map(l -> l.participantId() + "#" + l.epoch()).orElse("");
        if (tasks != null) {
            for (TaskRecord t : now.values()) {
                TaskRecord before = tasks.get(t.taskId());
                if (before == null || before.state() != t.state()) {
                    events.add(BeehiveEvent.task(at, t.taskId(), t.jobId(), t.state().name(),
                            before == null ? null : before.state().name(), t.agentId()));
                }
            }
            for (TaskRecord gone : tasks.values()) {
                if (!now.containsKey(gone.taskId())) {
                    events.add(BeehiveEvent.task(at, gone.taskId(), gone.jobId(), "REMOVED", gone.state().name(),
                            gone.agentId()));
                }
            }
            if (!key.equals(leaderKey)) {
                events.add(BeehiveEvent.leader(at, leader.map(LeaderInfo::participantId).orElse(null),
                        leader.map(LeaderInfo::epoch).orElse(null)));
            }
        }
        tasks = now;
        leaderKey = key;
        return events;
    }

    void reset() {
        tasks = null;
        leaderKey = null;
    }
}
