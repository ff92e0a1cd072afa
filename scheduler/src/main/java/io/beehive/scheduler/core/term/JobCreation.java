package io.beehive.scheduler.core.term;

import io.beehive.state.record.JobRecord;

/**
 * The answer to a create: the job, and whether this command created it or found an identical one (a retried
 * create whose first attempt landed; see {@link JobDefinitions#same}).
 */
public record JobCreation(JobRecord job, boolean created) {
}
