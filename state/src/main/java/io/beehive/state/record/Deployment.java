package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The deployment a SERVICE job is going through, kept in its job record (one znode, written in the same fenced
 * transaction as the definition it deploys), so a new leader resumes it exactly where the old one stood. Its progress
 * is not stored: which tasks run which version, and which are ready, is in the task records.
 *
 * @param fromVersion      the job's run version when it started
 * @param toVersion        the run version it replaces every other with (the job's {@code runVersion})
 * @param cause            why it started, for people
 * @param steps            how many times it has killed old-version instances so far
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployment(
        String id,
        DeploymentKind kind,
        long fromVersion,
        long toVersion,
        long startedAtMillis,
        String cause,
        int steps,
        Long lastStepAtMillis) {

    public Deployment {
        Checks.notBlank(id, "deployment id");
        if (kind == null) {
            throw new IllegalArgumentException("deployment " + id + " has no kind");
        }
    }

    /**
     * @param recordVersion the version of the job record that starts it: unique for the job's whole life, unlike a
     *                      run version, which a rollback reuses
     */
    public static Deployment start(String jobId, DeploymentKind kind, long fromVersion, long toVersion, long now,
                                   long recordVersion, String cause) {
        return new Deployment(jobId + "#" + recordVersion, kind, fromVersion, toVersion, now, cause, 0, null);
    }

    public Deployment withStep(long now) {
        return new Deployment(id, kind, fromVersion, toVersion, startedAtMillis, cause, steps + 1, now);
    }

    public DeploymentSummary ended(DeploymentResult result, String detail, long now) {
        return new DeploymentSummary(id, kind, fromVersion, toVersion, startedAtMillis, now, result, cause, detail,
                steps);
    }
}
