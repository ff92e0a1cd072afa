package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A deployment that has ended; a job keeps the last {@link JobRecord#DEPLOYMENT_HISTORY} of them.
 *
 * @param cause  why it started
 * @param detail why it ended as it did (e.g. the failures that made it fail)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentSummary(
        String id,
        DeploymentKind kind,
        long fromVersion,
        long toVersion,
        long startedAtMillis,
        long endedAtMillis,
        DeploymentResult result,
        String cause,
        String detail,
        int steps) {
}
