package io.beehive.state;

import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.Constraint;
import io.beehive.state.record.ConstraintOperator;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.LastStatus;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.BackoffPolicy;
import io.beehive.state.record.CrashLoopGuard;

import java.util.List;
import java.util.Map;

/** Realistic records for tests and benchmarks. */
final class Records {
    private Records() {
    }

    static JobRecord job(String id) {
        return new JobRecord(id, JobKind.SERVICE, CommandSpec.argv(List.of("/usr/bin/python3", "-m", "http.server")),
                Map.of("PORT", "8080", "MODE", "prod"), new ResourceSpec(0.5, 128, 10, 1), 3,
                List.of(new Constraint("hostname", ConstraintOperator.UNIQUE, null),
                        new Constraint("rack", ConstraintOperator.LIKE, "rack-[12]"),
                        new Constraint("zone", ConstraintOperator.MAX_PER, "2")),
                new RestartPolicy(5, new BackoffPolicy(500, 60_000, 1.5), new CrashLoopGuard(4, 120_000)),
                15_000, JobGoal.RUNNING, 7, 1_700_000_000_000L, 1_700_000_100_000L);
    }

    /** A task as it looks while running: every field filled, ids of Mesos' usual lengths. */
    static TaskRecord task(int n) {
        String jobId = "job-" + (n % 100);
        return new TaskRecord(jobId + ".instance-" + n + ".7c9e6679-7425-40de-944b-e07fc1f90ae7", jobId, n % 10,
                "5fd1c2f8-0a1b-4d3c-9e8f-0123456789ab-S" + (n % 50), "agent-" + (n % 50) + ".example.internal",
                TaskState.TASK_RUNNING,
                new LastStatus("2f1bde5a-8c3d-4e2f-a1b0-c9d8e7f6a5b4", "Task is running", "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
                        "SOURCE_EXECUTOR", 1_700_000_200_000L + n),
                1_700_000_100_000L + n, 1_700_000_200_000L + n, DesiredState.RUNNING, 0, 1,
                List.of(31000 + n % 1000));
    }
}
