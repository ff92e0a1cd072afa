package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.beehive.election.Fence;
import io.beehive.state.StateStore;
import io.beehive.state.StateStoreConfig;
import io.beehive.state.WriteBatch;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployment's figures: three replica JVMs, the 3-node ZooKeeper ensemble, the local Mesos cluster and HAProxy,
 * run from this build's class path (surefire runs benchmarks before the jar is packaged). One command:
 * {@code ./mvnw -B -Pbench -pl scheduler -am verify -Dtest=DeployBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Every figure is printed with a {@code BENCHMARK} prefix; only sanity is asserted.
 */
@Tag("benchmark")
class DeployBenchmarkTest {
    private static final String SESSION_TIMEOUT = "4s";
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int RUNS = Integer.getInteger("beehive.bench.failoverRuns", 10);

    @Test
    void gracefulHandOffAndCrashFailover() throws Exception {
        try (LocalDeployment deployment = Deployments.startFromClassPath(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT))) {
            BeehiveApi api = new BeehiveApi(deployment);
            api.createJob(BeehiveApi.serviceJob("steady", 2, "exec sleep 3600", 0.1, 16), PATIENCE);
            await().atMost(PATIENCE).until(() -> api.runningTasks("steady").size() == 2);
            String frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
            for (String signal : System.getProperty("beehive.bench.signals", "TERM,KILL").split(",")) {
                List<LeaderFailover> runs = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    LeaderFailover run = LeaderFailover.run(deployment, api, frameworkId, signal, "first-" + signal.toLowerCase() + "-" + i);
                    System.out.printf("BENCHMARK SIG%s run %d: subscribed %d ms, ACTIVE %d ms, first new task RUNNING %d ms%n",
                        signal, i + 1, run.subscribedMillis(), run.activeMillis(), run.firstTaskRunningMillis());
                    runs.add(run);
                }
                System.out.printf("BENCHMARK SIG%s of the leader over %d runs (session %s): new leader %s%n",
                    signal, runs.size(), SESSION_TIMEOUT, medians(runs));
            }
            assertThat(api.runningTasks("steady")).as("the steady job's tasks after every fail-over").hasSize(2);
        }
    }

    /**
     * The small-state fail-over (SIGTERM; {@code -Dbeehive.bench.signals=TERM,KILL} for both) of this build against
     * another one ({@code -Dbeehive.bench.baseline=<jar or
     * class path>}), both deployments up at once and signalled in turn, so that both meet the same load: a difference
     * of tens of milliseconds is lost between series taken at different times on a shared machine. Skipped without
     * the property.
     */
    @Test
    void handOffAgainstABaselineBuild() throws Exception {
        String baseline = System.getProperty("beehive.bench.baseline");
        org.junit.jupiter.api.Assumptions.assumeTrue(baseline != null && !baseline.isBlank(),
            "-Dbeehive.bench.baseline=<jar> names the build to compare with");
        Map<String, String> settings = Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT);
        try (LocalDeployment current = Deployments.startFromClassPath(settings);
             LocalDeployment base = Deployments.startFromOtherBuild(baseline, settings)) {
            Map<String, LocalDeployment> builds = new java.util.LinkedHashMap<>();
            builds.put("this build", current);
            builds.put("baseline", base);
            Map<String, String> frameworks = new java.util.HashMap<>();
            for (Map.Entry<String, LocalDeployment> build : builds.entrySet()) {
                BeehiveApi api = new BeehiveApi(build.getValue());
                api.createJob(BeehiveApi.serviceJob("steady", 2, "exec sleep 3600", 0.1, 16), PATIENCE);
                await().atMost(PATIENCE).until(() -> api.runningTasks("steady").size() == 2);
                frameworks.put(build.getKey(), ReplicaAgreement.await(build.getValue(), null).frameworkId());
            }
            for (String signal : System.getProperty("beehive.bench.signals", "TERM").split(",")) {
                Map<String, List<LeaderFailover>> runs = new java.util.LinkedHashMap<>();
                builds.keySet().forEach(name -> runs.put(name, new ArrayList<>()));
                for (int i = 0; i < RUNS; i++) {
                    // the order alternates too: the first of a pair may meet a machine still busy with the other's restart
                    List<String> order = new ArrayList<>(builds.keySet());
                    if (i % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (String name : order) {
                        LocalDeployment deployment = builds.get(name);
                        LeaderFailover run = LeaderFailover.run(deployment, new BeehiveApi(deployment), frameworks.get(name),
                            signal, "ab-" + signal.toLowerCase() + "-" + i);
                        System.out.printf("BENCHMARK A/B SIG%s %s run %d: subscribed %d ms, ACTIVE %d ms, first new task RUNNING %d ms%n",
                            signal, name, i + 1, run.subscribedMillis(), run.activeMillis(), run.firstTaskRunningMillis());
                        runs.get(name).add(run);
                    }
                }
                runs.forEach((name, list) -> System.out.printf("BENCHMARK A/B SIG%s of the leader, %s, %d runs interleaved"
                    + " (session %s): %s%n", signal, name, list.size(), SESSION_TIMEOUT, medians(list)));
            }
            for (LocalDeployment deployment : builds.values()) {
                assertThat(new BeehiveApi(deployment).runningTasks("steady")).as("the steady job after every hand-off").hasSize(2);
            }
        }
    }

    @Test
    void launchRateThroughTheApi() throws Exception {
        Map<String, String> settings = Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT);
        try (LocalDeployment deployment = Deployments.startFromClassPath(settings)) {
            BeehiveApi api = new BeehiveApi(deployment);
            ReplicaAgreement.await(deployment, null);
            int instances = Integer.getInteger("beehive.bench.serviceInstances", 500);
            long t0 = System.nanoTime();
            api.createJob(BeehiveApi.serviceJob("wide", instances, "exec sleep 3600", 0.01, 2), PATIENCE);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.runningTasks("wide").size() == instances);
            long serviceMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("BENCHMARK launch: one SERVICE job of %d instances, POST to all RUNNING (through HAProxy, "
                + "real processes): %d ms = %.0f tasks/s%n", instances, serviceMillis, instances * 1000.0 / serviceMillis);

            int batchJobs = Integer.getInteger("beehive.bench.batchJobs", 300);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            long t1 = System.nanoTime();
            List<Future<?>> posts = new ArrayList<>();
            for (int i = 0; i < batchJobs; i++) {
                String json = BeehiveApi.batchJob(String.format("rate-%04d", i), "true", 0.01, 2);
                posts.add(clients.submit(() -> api.createJob(json, PATIENCE)));
            }
            for (Future<?> f : posts) {
                f.get(10, TimeUnit.MINUTES);
            }
            long postedMillis = (System.nanoTime() - t1) / 1_000_000;
            clients.shutdown();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> api.allTasks()
                .orElse(List.of()).stream().filter(t -> t.path("jobId").asText().startsWith("rate-"))
                .filter(t -> t.path("state").asText().equals("TASK_FINISHED")).count() >= batchJobs);
            long batchMillis = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("BENCHMARK launch: %d BATCH jobs POSTed by 4 clients in %d ms (%.0f jobs/s); all FINISHED "
                + "after %d ms (%.0f jobs/s end to end)%n", batchJobs, postedMillis, batchJobs * 1000.0 / postedMillis,
                batchMillis, batchJobs * 1000.0 / batchMillis);
        }
    }

    /**
     * Large state: 100,000 task records (10,000 batch jobs with 10 finished tasks each: within the history kept per
     * job, so none is pruned) written straight into ZooKeeper with the state API under a fence of the test's own.
     * Every replica's state mirror follows them; then the leader gets SIGTERM (runs of {@code
     * beehive.bench.largeStateRuns}, 5 by default) and SIGKILL (3 by default): from the signal to a new leader ACTIVE
     * with every record. Before each run every replica's mirror holds every record (a restarted replica reads them
     * first). Then a follower's {@code GET /v1/tasks} of all of them, straight to its API port. Lines begin with
     * {@code BENCHMARK large-state}.
     */
    @Test
    void recoveryOf100000TaskRecordsAfterAFailover() throws Exception {
        int jobs = Integer.getInteger("beehive.bench.recoveryJobs", 10_000);
        int perJob = FailoverStorm.HISTORY_PER_JOB;
        int runs = Integer.getInteger("beehive.bench.largeStateRuns", 5);
        int killRuns = Integer.getInteger("beehive.bench.largeStateKillRuns", 3);
        Map<String, String> settings = Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT,
            "BEEHIVE_JAVA_OPTS", System.getProperty("beehive.bench.replicaJavaOpts", "-Xmx1g -XX:+UseSerialGC"));
        try (LocalDeployment deployment = Deployments.startFromClassPath(settings)) {
            ReplicaAgreement.await(deployment, null);
            long written = writeRecords(deployment, jobs, perJob);
            for (String signal : List.of("TERM", "KILL")) {
                List<Long> active = new ArrayList<>();
                for (int run = 1; run <= (signal.equals("TERM") ? runs : killRuns); run++) {
                    long mirrored = awaitMirrors(deployment, written);
                    // Only cheap endpoints while measuring: /leaderhealth and the admin metrics (the failover timer
                    // counts each term that reached ACTIVE).
                    LeaderProbe probe = new LeaderProbe(deployment);
                    int replica = await().atMost(PATIENCE).until(probe::leader, Optional::isPresent).get();
                    Map<Integer, Long> terms = probe.termsInOffice();
                    ProcessHandle process = deployment.process("replica" + replica).orElseThrow();
                    long t0 = System.nanoTime();
                    java.time.LocalTime signalledAt = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
                    deployment.signal("replica" + replica, signal);
                    int successor = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10))
                        .until(() -> probe.newTermActive(replica, terms), Optional::isPresent).get();
                    long activeMillis = (System.nanoTime() - t0) / 1_000_000;
                    JsonNode view = deployment.getJson(deployment.admin(successor, "/beehive")).orElseThrow();
                    long loaded = 0;
                    for (JsonNode count : view.path("taskCounts")) {
                        loaded += count.asLong();
                    }
                    // The signal's wall-clock time (UTC, as the replicas log) lines their logs up with this run.
                    System.out.printf("BENCHMARK large-state SIG%s run %d: signal (%s, replica%d to replica%d) to new"
                            + " leader ACTIVE with %d records in %d ms (its own fail-over figure %s ms; its mirror held"
                            + " %d before; %d full loads by new leaders so far)%n", signal, run, signalledAt, replica,
                        successor, loaded, activeMillis,
                        view.path("lastFailoverDurationMillis").asText(), mirrored, gauge(deployment, successor,
                            "beehive.state.mirror.fallbacks"));
                    assertThat(loaded).as("records the new leader holds").isGreaterThanOrEqualTo(written);
                    active.add(activeMillis);
                    await().atMost(PATIENCE).until(() -> !process.isAlive());
                    assertThat(deployment.up().exitCode()).isZero();
                }
                long[] values = active.stream().mapToLong(Long::longValue).toArray();
                System.out.printf("BENCHMARK large-state SIG%s ACTIVE median %d ms p90 %d ms (%d tasks, %d jobs, %d runs,"
                    + " session %s)%n", signal, percentile(values, 50), percentile(values, 90), written, jobs,
                    values.length, SESSION_TIMEOUT);
            }
            awaitMirrors(deployment, written);
            int follower = await().atMost(PATIENCE).until(new LeaderProbe(deployment)::leader, Optional::isPresent).get()
                % 3 + 1;
            List<Long> listings = new ArrayList<>();
            int bytes = 0;
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                var answer = deployment.get(deployment.replicaApi(follower, "/v1/tasks"), Duration.ofMinutes(2));
                listings.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.headers().firstValue("X-Beehive-Served-By")).contains("follower");
                assertThat(JSON.readTree(answer.body()).size()).as("tasks listed").isEqualTo((int) written);
                bytes = answer.body().length();
            }
            long[] values = listings.stream().mapToLong(Long::longValue).toArray();
            System.out.printf("BENCHMARK large-state follower GET /v1/tasks of all %d tasks median %d ms p90 %d ms "
                + "(%d requests, %d characters each)%n", written, percentile(values, 50), percentile(values, 90),
                values.length, bytes);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Waits until every replica's state mirror holds at least {@code records} task records and is trusted. */
    private static long awaitMirrors(LocalDeployment deployment, long records) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int r = 1; r <= LocalDeployment.REPLICAS; r++) {
                if (gauge(deployment, r, "beehive.state.mirror.tasks") < records
                        || gauge(deployment, r, "beehive.state.mirror.trusted") != 1) {
                    return false;
                }
            }
            return true;
        });
        return records;
    }

    private static long gauge(LocalDeployment deployment, int replica, String name) {
        return deployment.getJson(deployment.admin(replica, "/metrics"))
            .map(m -> m.path("gauges").path(name).path("value").asLong(-1)).orElse(-1L);
    }

    /** Writes the records with the state API, fenced by an ephemeral node of this test's own session. */
    private static long writeRecords(LocalDeployment deployment, int jobs, int perJob) throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(deployment.zkConnect(), 30_000, 10_000,
                new RetryOneTime(500))) {
            client.start();
            assertThat(client.blockUntilConnected(60, TimeUnit.SECONDS)).isTrue();
            String fencePath = client.create().withMode(CreateMode.EPHEMERAL).forPath("/bench-writer-fence");
            Fence fence = new Fence(fencePath, 0);
            long t0 = System.nanoTime();
            long now = System.currentTimeMillis();
            long written = 0;
            try (StateStore store = StateStore.open(client, StateStoreConfig.withRoot("/beehive"))) {
                List<CompletableFuture<?>> pending = new ArrayList<>();
                for (int j = 0; j < jobs; j++) {
                    String jobId = String.format("hist-%05d", j);
                    WriteBatch batch = store.batch().putJob(new JobRecord(jobId, JobKind.BATCH, CommandSpec.shell("true"),
                        Map.of(), new ResourceSpec(0.01, 2, 0, 0), 1, List.of(), null, 0, null, 0, now, now));
                    List<TaskRecord> tasks = new ArrayList<>();
                    for (int k = 1; k <= perJob; k++) {
                        tasks.add(new TaskRecord(jobId + ".0." + k + ".bench" + String.format("%07d", j), jobId, 0,
                            "bench-agent", "127.0.0.1", TaskState.TASK_FINISHED, null, now - 1000 + k, now - 1000 + k,
                            DesiredState.RUNNING, 0, k, null));
                    }
                    batch.putTasks(tasks);
                    written += perJob;
                    pending.add(store.write(fence, batch));
                    if (pending.size() >= 200) {
                        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
                        pending.clear();
                    }
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            }
            System.out.printf("BENCHMARK recovery: wrote %d jobs and %d task records into ZooKeeper in %d ms%n", jobs,
                written, (System.nanoTime() - t0) / 1_000_000);
            return written;
        }
    }

    /** The full storm: ≥ 2,000 launches and 10 leader kills, with the CI storm's checks. */
    @Test
    void fullStorm() throws Exception {
        try (LocalDeployment deployment = Deployments.startFromClassPath(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT))) {
            FailoverStorm.Plan plan = new FailoverStorm.Plan(4, 25, Integer.getInteger("beehive.bench.stormBatchJobs", 1950),
                Integer.getInteger("beehive.bench.stormKills", 10), Duration.ofMinutes(10));
            long t0 = System.nanoTime();
            FailoverStorm.Report report = new FailoverStorm(deployment).run(plan);
            System.out.println("BENCHMARK " + report.summary() + "; total " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
            FailoverStormIT.assertStormHeld(report);
        }
    }

    private static String medians(List<LeaderFailover> runs) {
        long[] subscribed = runs.stream().mapToLong(LeaderFailover::subscribedMillis).toArray();
        long[] active = runs.stream().mapToLong(LeaderFailover::activeMillis).toArray();
        long[] firstTask = runs.stream().mapToLong(LeaderFailover::firstTaskRunningMillis).toArray();
        return String.format("subscribed median %d ms p90 %d ms; ACTIVE median %d ms p90 %d ms;"
                + " first new task RUNNING median %d ms p90 %d ms", percentile(subscribed, 50), percentile(subscribed, 90),
            percentile(active, 50), percentile(active, 90), percentile(firstTask, 50), percentile(firstTask, 90));
    }

    static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
