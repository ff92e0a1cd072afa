package io.beehive.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One timed fail-over of the leader, the way the benchmarks and the real-Mesos suite measure it: the leader gets the
 * signal; at the same instant a client starts submitting a batch job through HAProxy (retrying while nobody
 * answers). Measured from the signal: another replica's admin view says it is subscribed, then ACTIVE, and the batch
 * job's task RUNNING (or already FINISHED). Then up.sh restarts the signalled replica and all three agree again.
 *
 * @param replica                the replica that led and got the signal
 * @param successor              the replica that took over
 */
record LeaderFailover(int replica, int successor, long subscribedMillis, long activeMillis, long firstTaskRunningMillis) {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    static LeaderFailover run(LocalDeployment deployment, BeehiveApi api, String frameworkId, String signal,
                              String jobId) throws Exception {
        ReplicaAgreement before = ReplicaAgreement.await(deployment, frameworkId);
        int replica = before.leaderReplica(deployment);
        ProcessHandle process = deployment.process("replica" + replica).orElseThrow();
        long t0 = System.nanoTime();
        deployment.signal("replica" + replica, signal);
        CompletableFuture<Long> firstTask = CompletableFuture.supplyAsync(() -> {
            api.createJob(BeehiveApi.batchJob(jobId, "exec sleep 2", 0.1, 16), PATIENCE);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> !api.runningTasks(jobId).isEmpty()
                || api.tasks(jobId).orElse(List.of()).stream().anyMatch(t -> t.path("state").asText().equals("TASK_FINISHED")));
            return (System.nanoTime() - t0) / 1_000_000;
        });
        long subscribed = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
            .until(() -> leaderPhaseOtherThan(deployment, replica, "RECONCILING", "ACTIVE"), Optional::isPresent).get();
        long active = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
            .until(() -> leaderPhaseOtherThan(deployment, replica, "ACTIVE"), Optional::isPresent).get();
        long taskRunning = firstTask.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        int successor = new LeaderProbe(deployment).leader().orElse(-1);
        await().atMost(PATIENCE).until(() -> !process.isAlive());
        assertThat(deployment.up().exitCode()).as("up.sh restarting replica" + replica).isZero();
        ReplicaAgreement.await(deployment, frameworkId);
        return new LeaderFailover(replica, successor, subscribed - t0 / 1_000_000, active - t0 / 1_000_000, taskRunning);
    }

    /**
     * Present (the time, in this JVM's nano clock as millis) when a replica other than {@code old} passes
     * /leaderhealth and its own admin view says one of the phases. Only that replica's view is read: it is small
     * here, but a follower's view reads every record from ZooKeeper and would load the machine being measured.
     */
    private static Optional<Long> leaderPhaseOtherThan(LocalDeployment deployment, int old, String... phases) {
        // The time is read once the answers are in, not before asking: a slow answer (a stopping replica held every
        // request until its stop was done, until ReplicaRuntime stopped taking its lock to read the phase) must make
        // the figure longer, not shorter; a time read before asking once reported a hand-off in 31 ms.
        return new LeaderProbe(deployment).leader().filter(r -> r != old)
            .flatMap(r -> deployment.getJson(deployment.admin(r, "/beehive")))
            .filter(v -> v.path("role").asText().equals("leader") && List.of(phases).contains(v.path("phase").asText()))
            .map(v -> System.nanoTime() / 1_000_000);
    }
}
