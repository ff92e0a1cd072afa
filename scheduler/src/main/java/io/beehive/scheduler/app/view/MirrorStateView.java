package io.beehive.scheduler.app.view;

import io.beehive.state.StateMirror;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * A follower's view: this replica's {@link StateMirror}, every record in memory, a moment behind the leader's durable
 * writes (the time for the watch's event to arrive and the record to be read again; after a lost ZooKeeper
 * connection, until the mirror has read everything again). A record that cannot be decoded is left out (the next
 * leader quarantines it, and the quarantine health check reports it).
 */
final class MirrorStateView implements StateView {
    /** A replica that has just started reads the state once before it can answer (100,000 records: a few seconds). */
    private static final Duration FIRST_LOAD_WAIT = Duration.ofSeconds(30);

    private final StateMirror mirror;

    MirrorStateView(StateMirror mirror) {
        if (!mirror.awaitLoaded(FIRST_LOAD_WAIT)) {
            throw new StateUnavailableException("this replica has not finished reading the state from ZooKeeper "
                    + "(it started less than " + FIRST_LOAD_WAIT.toSeconds() + " s ago, or ZooKeeper cannot be "
                    + "read)", null);
        }
        this.mirror = mirror;
    }

    @Override
    public Collection<JobRecord> jobs() {
        return mirror.jobs();
    }

    @Override
    public Optional<JobRecord> job(String jobId) {
        return mirror.job(jobId);
    }

    @Override
    public Collection<TaskRecord> tasks() {
        return mirror.tasks();
    }

    @Override
    public Optional<TaskRecord> task(String taskId) {
        return mirror.task(taskId);
    }

    @Override
    public Collection<BlacklistEntry> blacklist() {
        return mirror.blacklist();
    }

    @Override
    public Optional<String> frameworkId() {
        return mirror.frameworkId();
    }

    @Override
    public boolean authoritative() {
        return false;
    }
}
