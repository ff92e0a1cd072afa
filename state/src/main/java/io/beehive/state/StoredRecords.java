package io.beehive.state;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.util.Collection;
import java.util.Optional;

/**
 * Every record as read from ZooKeeper, before anything is quarantined: the readable ones decoded, the others with
 * their bytes and what is wrong with them.
 *
 * @param highestZxid         the highest zxid of a change among the records read (0 when there is none)
 * @param recordsWithFollower the jobs and tasks are not in these collections (they are empty): the state mirror's
 *                            {@link StateMirror.Follower} holds them, caught up, and was handed over
 */
record StoredRecords(
        Optional<String> frameworkId,
        Collection<JobRecord> jobs,
        Collection<TaskRecord> tasks,
        Collection<BlacklistEntry> blacklist,
        Collection<RecordRead<?>> unreadable,
        long highestZxid,
        boolean recordsWithFollower) {
}
