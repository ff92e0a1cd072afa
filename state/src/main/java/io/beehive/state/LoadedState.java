package io.beehive.state;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.util.List;
import java.util.Optional;

/**
 * Everything a new leader needs, read in one go by {@link StateStore#loadAll}.
 *
 * @param quarantined records that could not be read; already moved aside, they are not in the lists
 * @param fromMirror  taken from this replica's {@link StateMirror}, caught up, instead of read in full
 */
public record LoadedState(
        Optional<String> frameworkId,
        List<JobRecord> jobs,
        List<TaskRecord> tasks,
        List<BlacklistEntry> blacklist,
        List<QuarantinedRecord> quarantined,
        long loadMillis,
        boolean fromMirror) {
}
