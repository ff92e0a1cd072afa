package io.beehive.scheduler.app.view;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

import java.util.Collection;
import java.util.Optional;

/**
 * What the read endpoints show. On the leader it is the scheduler's own memory (exact); on a follower it is read
 * from ZooKeeper (the leader's last durable writes, so possibly a moment behind, which responses say with the
 * {@code X-Beehive-Served-By: follower} header).
 */
public interface StateView {
    Collection<JobRecord> jobs();

    Optional<JobRecord> job(String jobId);

    Collection<TaskRecord> tasks();

    Optional<TaskRecord> task(String taskId);

    Collection<BlacklistEntry> blacklist();

    Optional<String> frameworkId();

    /** True when served from the leader's memory. */
    boolean authoritative();
}
