package io.beehive.scheduler.core.term;

import io.beehive.state.record.JobRecord;

/** What makes two job records the same definition, whatever their versions and times. */
public final class JobDefinitions {
    private JobDefinitions() {
    }

    /**
     * Whether {@code a} and {@code b} define the same job: id, kind, what runs (command, environment, resources,
     * constraints, health check, kill grace period), instances, restart policy and upgrade strategy. Versions,
     * times, goal and deployment state are the job's history, not its definition.
     */
    public static boolean same(JobRecord a, JobRecord b) {
        return a.id().equals(b.id()) && a.kind() == b.kind() && a.runSpec().sameRunAs(b.runSpec())
                && a.instances() == b.instances() && a.restartPolicy().equals(b.restartPolicy())
                && a.upgradeStrategy().equals(b.upgradeStrategy());
    }
}
