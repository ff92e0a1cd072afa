package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ZooKeeper ensemble loses nodes under a running deployment. Its leader down: the ensemble elects another, every
 * client is disconnected meanwhile, and Beehive's leader rides it out under its lease (same leader, no deposition,
 * issue 18). One node down: a quorum remains and nothing changes (same leader, tasks keep launching). Two down: no quorum, so no write can land; the leader must stop
 * launching (invariant 6: SUSPENDED stops launches at once; invariant 3: no launch without a durable record), which
 * is checked at the Mesos master: a task that dies meanwhile is not replaced. When the two come back, work resumes
 * with no replica restarted and nobody calling the API: the dead task is replaced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZooKeeperQuorumIT {
    private static final String SESSION_TIMEOUT = "4s";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String JOB = "quorum";

    private static LocalDeployment deployment;
    private static BeehiveApi api;
    private static String frameworkId;
    private static Map<String, Long> replicaPids;

    @BeforeAll
    static void start() throws Exception {
        deployment = Deployments.startFromJar(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT));
        api = new BeehiveApi(deployment);
        api.createJob(BeehiveApi.serviceJob(JOB, 2, TaskSandboxes.PID_AND_SLEEP, 0.1, 32), PATIENCE);
        awaitRunning(2);
        frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
        replicaPids = replicaPids();
    }

    @AfterAll
    static void stop() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    @Order(0)
    void losingTheZooKeeperLeaderMovesNoBeehiveLeadership() throws Exception {
        ReplicaAgreement before = ReplicaAgreement.await(deployment, frameworkId);
        int leader = before.leaderReplica(deployment);
        long depositionsBefore = logLinesOf(leader, "deposed (");
        long reconnectionsBefore = logLinesOf(leader, "ZooKeeper connection back");
        int zooKeeperLeader;
        try (ZooKeeperProbe zk = new ZooKeeperProbe(deployment)) {
            zooKeeperLeader = IntStream.rangeClosed(1, 3).filter(i -> zk.mode(i).filter("leader"::equals).isPresent())
                .findFirst().orElseThrow();
            deployment.signal("zk" + zooKeeperLeader, "KILL");
            long killedAt = System.nanoTime();
            await("another ZooKeeper leader").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> IntStream.rangeClosed(1, 3).filter(i -> i != zooKeeperLeader)
                    .anyMatch(i -> zk.mode(i).filter("leader"::equals).isPresent()));
            long ensembleLedAt = System.nanoTime();
            await("replica" + leader + " ACTIVE again").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> phase(leader).filter("ACTIVE"::equals).isPresent()
                    && logLinesOf(leader, "ZooKeeper connection back") > reconnectionsBefore);
            System.out.printf("ZooKeeper leader zk%d killed: the ensemble led again after %d ms, Beehive's leader "
                    + "replica%d ACTIVE again after %d ms%n", zooKeeperLeader, (ensembleLedAt - killedAt) / 1_000_000,
                leader, (System.nanoTime() - killedAt) / 1_000_000);
        }
        ReplicaAgreement after = ReplicaAgreement.await(deployment, frameworkId);
        assertThat(after.leader()).as("Beehive's leader after the ZooKeeper leader died").isEqualTo(before.leader());
        assertThat(logLinesOf(leader, "deposed (")).as("depositions of replica" + leader).isEqualTo(depositionsBefore);
        assertThat(replicaPids()).as("no replica restarted").isEqualTo(replicaPids);

        // the ensemble whole again for the next tests (up.sh starts only what is missing)
        assertThat(deployment.up().exitCode()).as("up.sh restarting zk" + zooKeeperLeader).isZero();
        try (ZooKeeperProbe zk = new ZooKeeperProbe(deployment)) {
            await("zk" + zooKeeperLeader + " serving again").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> zk.mode(zooKeeperLeader).isPresent());
        }
    }

    @Test
    @Order(1)
    void oneZooKeeperNodeDownChangesNothing() throws Exception {
        ReplicaAgreement before = ReplicaAgreement.await(deployment, frameworkId);
        int follower;
        try (ZooKeeperProbe zk = new ZooKeeperProbe(deployment)) {
            follower = IntStream.rangeClosed(1, 3).filter(i -> zk.mode(i).filter("follower"::equals).isPresent())
                .findFirst().orElseThrow();
        }
        deployment.signal("zk" + follower, "KILL");
        await("zk" + follower + " dead").atMost(PATIENCE).until(() -> deployment.process("zk" + follower).isEmpty());

        // tasks keep launching: a dead task is replaced, and a new batch job runs to completion
        List<JsonNode> running = awaitRunning(2);
        String victim = running.get(0).get("taskId").asText();
        TaskSandboxes.awaitProcess(deployment, victim).destroyForcibly();
        await("task " + victim + " replaced with one ZooKeeper node down").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> ids(api.runningTasks(JOB)), ids -> ids.size() == 2 && !ids.contains(victim));
        api.createJob(BeehiveApi.batchJob("one-down", "true", 0.1, 16), PATIENCE);
        await("batch job finished with one ZooKeeper node down").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> api.tasks("one-down").orElse(List.of()).stream()
                .anyMatch(t -> t.path("state").asText().equals("TASK_FINISHED")));

        ReplicaAgreement after = ReplicaAgreement.await(deployment, frameworkId);
        assertThat(after.leader()).as("leader with one ZooKeeper node down").isEqualTo(before.leader());
        assertThat(replicaPids()).as("no replica restarted").isEqualTo(replicaPids);
    }

    @Test
    @Order(2)
    void twoZooKeeperNodesDownStopLaunchesAndTheirReturnResumesWork() throws Exception {
        ReplicaAgreement before = ReplicaAgreement.await(deployment, frameworkId);
        List<String> live = ids(awaitRunning(2));
        int second = IntStream.rangeClosed(1, 3).filter(i -> deployment.processQuietly("zk" + i).isPresent())
            .findFirst().orElseThrow();
        deployment.signal("zk" + second, "KILL");
        long quorumLostAt = System.nanoTime();
        await("zk" + second + " dead").atMost(PATIENCE).until(() -> deployment.processQuietly("zk" + second).isEmpty());

        // the leader notices: it leaves ACTIVE (SUSPENDED, then STANDBY once the session is given up)
        int leader = before.leaderReplica(deployment);
        await("the leader leaves ACTIVE without a quorum").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
            .until(() -> !phase(leader).filter("ACTIVE"::equals).isPresent());
        System.out.printf("quorum lost: leader replica%d left ACTIVE after %d ms (now %s)%n", leader,
            (System.nanoTime() - quorumLostAt) / 1_000_000, phase(leader).orElse("no answer"));

        // a task dies: its TASK_FAILED cannot be persisted, so it is neither acknowledged nor replaced
        String victim = live.get(0);
        TaskSandboxes.awaitProcess(deployment, victim).destroyForcibly();
        await("the master sees " + victim + " end").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> !MesosMasterState.LIVE.contains(mesos().taskStates().getOrDefault(victim, "gone")));
        Set<String> known = new HashSet<>(live);
        await("no new task of the job at the master while there is no quorum").during(Duration.ofSeconds(10))
            .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> known.containsAll(jobTasksAtMaster()));

        // restore the two nodes (up.sh starts only what is missing) and touch nothing else
        assertThat(deployment.up().exitCode()).as("up.sh restarting the ZooKeeper nodes").isZero();
        await("the dead task replaced after the quorum came back").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> ids(api.runningTasks(JOB)), ids -> ids.size() == 2 && !ids.contains(victim));
        ReplicaAgreement after = ReplicaAgreement.await(deployment, frameworkId);
        System.out.println("after the quorum came back the leader is " + after.leader() + " (before: " + before.leader() + ")");
        assertThat(replicaPids()).as("no replica restarted").isEqualTo(replicaPids);
        Set<String> beehiveRunning = new HashSet<>(ids(api.runningTasks(JOB)));
        await("the master runs exactly the tasks Beehive reports").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> new HashSet<>(mesos().liveTasksByJob().getOrDefault(JOB, List.of())), beehiveRunning::equals);
    }

    /** Lines of the replica's log that contain {@code text}. */
    private static long logLinesOf(int replica, String text) throws IOException {
        try (Stream<String> lines = Files.lines(deployment.logOf("replica" + replica))) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static MesosMasterState mesos() {
        return MesosMasterState.read(deployment, frameworkId).orElseThrow();
    }

    /** Every task id of the job the master lists, in any state. */
    private static Set<String> jobTasksAtMaster() {
        Set<String> out = new HashSet<>();
        mesos().taskStates().keySet().stream().filter(id -> MesosMasterState.jobOf(id).equals(JOB)).forEach(out::add);
        return out;
    }

    private static Optional<String> phase(int replica) {
        return deployment.getJson(deployment.admin(replica, "/beehive")).map(v -> v.path("phase").asText());
    }

    private static List<JsonNode> awaitRunning(int n) {
        return await(n + " tasks of " + JOB + " RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> api.runningTasks(JOB), t -> t.size() == n);
    }

    private static List<String> ids(List<JsonNode> tasks) {
        return tasks.stream().map(t -> t.get("taskId").asText()).toList();
    }

    private static Map<String, Long> replicaPids() {
        Map<String, Long> pids = new HashMap<>();
        for (int i = 1; i <= LocalDeployment.REPLICAS; i++) {
            pids.put("replica" + i, deployment.processQuietly("replica" + i).map(ProcessHandle::pid).orElse(-1L));
        }
        return pids;
    }
}
