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
 * @param recordsWithFollower {@code jobs} and {@code tasks} are empty: the follower the caller passed to
 *                    {@link StateStore#loadForTerm(io.beehive.election.Fence, java.time.Duration, StateMirror.Follower)}
 *                    holds them, caught up with this state, and has been handed over
 */
public record LoadedState(
        Optional<String> frameworkId,
        List<JobRecord> jobs,
        List<TaskRecord> tasks,
        List<BlacklistEntry> blacklist,
        List<QuarantinedRecord> quarantined,
        long loadMillis,
        boolean fromMirror,
        boolean recordsWithFollower) {
}
