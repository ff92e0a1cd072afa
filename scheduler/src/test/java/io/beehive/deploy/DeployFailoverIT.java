package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment of {@code deploy/local/} end to end: three replica JVMs against a 3-node ZooKeeper ensemble and
 * the local Mesos cluster, HAProxy in front. The API is used only through HAProxy, as a client would; the leader
 * is stopped with SIGTERM, then killed with SIGKILL, and each time another replica must lead under the same
 * FrameworkID, the running task must keep its process, and every replica's admin view must agree.
 * Needs the packaged jar (failsafe passes {@code beehive.jar}) and {@code haproxy} (installed by {@code .ci/run}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployFailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION_TIMEOUT = "4s";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Set<String> SUBSCRIBED_PHASES = Set.of("RECONCILING", "ACTIVE");
    private static final String JOB = "sleeper";

    private static LocalDeployment deployment;
    private static String frameworkId;
    private static String taskId;
    private static ProcessHandle taskProcess;

    @BeforeAll
    static void startDeployment() throws Exception {
        assumeTrue(onPath("haproxy"), "haproxy is not installed (apt-get install -y haproxy): deploy tests skipped");
        assumeTrue(onPath("curl"), "curl is not installed: deploy tests skipped");
        Path repo = Path.of(System.getProperty("beehive.repo", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("beehive.jar", repo.resolve("scheduler/target/beehive.jar").toString()));
        assertThat(jar).as("the packaged jar (run through failsafe after package)").exists();
        Path runDir = Files.createTempDirectory("beehive-deploy-it").resolve("run");
        deployment = new LocalDeployment(repo, jar, runDir, SESSION_TIMEOUT);

        assertThat(deployment.up().exitCode()).as("up.sh exit code").isZero();

        HttpResponse<String> created = deployment.post(deployment.api("/v1/jobs"), """
            {"id":"%s","kind":"SERVICE","instances":1,
             "command":"echo $$ > \\"$MESOS_SANDBOX/task.pid\\"; exec sleep 3600",
             "resources":{"cpus":0.1,"memMb":32}}""".formatted(JOB));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode running = await("the job's task RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> runningTasks().stream().findFirst().orElse(null), t -> t != null);
        taskId = running.get("taskId").asText();
        Path pidFile = await("the task's pid file").atMost(PATIENCE).ignoreExceptions().until(() -> taskPidFile(taskId), Optional::isPresent)
            .orElseThrow();
        taskProcess = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        frameworkId = allReplicasAgree().get("frameworkId").asText();
        System.out.println("deployment up; FrameworkID " + frameworkId + ", task " + taskId + " pid " + taskProcess.pid());
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        if (deployment == null) {
            return;
        }
        LocalDeployment.ScriptResult down = deployment.down();
        for (String name : List.of("haproxy", "replica1", "replica2", "replica3", "mesos", "zk1", "zk2", "zk3")) {
            deployment.process(name).ifPresent(ProcessHandle::destroyForcibly); // only if down.sh failed
        }
        assertThat(down.exitCode()).as("down.sh exit code").isZero();
        if (taskProcess != null) {
            assertThat(taskProcess.isAlive()).as("task process after down.sh stopped the Mesos cluster").isFalse();
        }
    }

    @Test
    @Order(1)
    void upRoutesOnlyToTheLeaderAndStatusShowsEveryProcess() throws Exception {
        LocalDeployment.ScriptResult status = deployment.status();
        assertThat(status.exitCode()).as("status.sh exit code (non-zero when a process is down)").isZero();
        assertThat(status.output()).contains("replica1", "replica2", "replica3", "zk3", "mesos", "haproxy")
            .doesNotContain("stopped");
        String leader = allReplicasAgree().get("leader").asText();
        // through HAProxy every request lands on the leader, never on a follower
        for (int i = 0; i < 10; i++) {
            JsonNode view = deployment.getJson(deployment.api("/v1/leader")).orElseThrow();
            assertThat(view.get("self").asText()).isEqualTo(leader);
            assertThat(view.get("selfIsLeader").asBoolean()).isTrue();
        }
        assertThat(status.output().lines().filter(l -> l.matches("\\s+replica\\d\\s+UP")).count())
            .as("replicas HAProxy shows UP").isEqualTo(1);

        // idempotent: a second up.sh starts nothing new and keeps the leader
        assertThat(deployment.up().output()).doesNotContain(" started (pid");
        assertThat(allReplicasAgree().get("leader").asText()).isEqualTo(leader);
    }

    @Test
    @Order(2)
    void sigtermOfTheLeaderHandsOverUnderTheSameFrameworkId() throws Exception {
        failOver("SIGTERM", ProcessHandle::destroy);
    }

    @Test
    @Order(3)
    void sigkillOfTheLeaderFailsOverAfterTheSessionTimeout() throws Exception {
        long elapsedMillis = failOver("SIGKILL", ProcessHandle::destroyForcibly);
        // the dead leader's ephemeral election node lives until its session expires: nobody may lead before that
        assertThat(elapsedMillis).as("SIGKILL to new leader subscribed, session timeout " + SESSION_TIMEOUT)
            .isGreaterThanOrEqualTo(2_000);
    }

    /** Signals the leader, waits for a new subscribed leader through HAProxy, checks what must hold, restarts. */
    private long failOver(String signal, java.util.function.Consumer<ProcessHandle> send) throws Exception {
        JsonNode before = allReplicasAgree();
        String oldLeader = before.get("leader").asText();
        int oldReplica = deployment.replicaOf(oldLeader);
        ProcessHandle leaderProcess = deployment.process("replica" + oldReplica).orElseThrow();

        long signalled = System.nanoTime();
        send.accept(leaderProcess);
        AtomicLong subscribedAt = new AtomicLong();
        String newLeader = await(signal + ": a new leader subscribed, reached through HAProxy").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
            .until(() -> subscribedLeaderThroughHaproxy(oldLeader), Optional::isPresent).orElseThrow();
        subscribedAt.set(System.nanoTime());
        int newReplica = deployment.replicaOf(newLeader);
        await(signal + ": the new leader ACTIVE").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
            .until(() -> phase(newReplica).filter("ACTIVE"::equals).isPresent());
        long activeAt = System.nanoTime();
        long subscribedMillis = TimeUnit.NANOSECONDS.toMillis(subscribedAt.get() - signalled);
        System.out.printf("FAILOVER %s: signal -> new leader %s subscribed (through HAProxy) %d ms, ACTIVE %d ms;"
                + " its own fail-over figure %s ms%n", signal, newLeader, subscribedMillis,
            TimeUnit.NANOSECONDS.toMillis(activeAt - signalled),
            deployment.getJson(deployment.admin(newReplica, "/beehive")).map(v -> v.get("lastFailoverDurationMillis").asText()).orElse("?"));

        assertThat(newLeader).isNotEqualTo(oldLeader);
        await(signal + ": the old leader's process exits").atMost(PATIENCE).until(() -> !leaderProcess.isAlive());
        JsonNode state = deployment.getJson(deployment.api("/v1/state")).orElseThrow();
        assertThat(state.get("frameworkId").asText()).as("FrameworkID after " + signal).isEqualTo(frameworkId);
        // the task survives the fail-over: same id, still running, same process, no replacement launched
        await(signal + ": the task reported RUNNING by the new leader").atMost(PATIENCE)
            .until(() -> runningTasks().stream().map(t -> t.get("taskId").asText()).toList(), List.of(taskId)::equals);
        assertThat(taskProcess.isAlive()).as("task process after " + signal + " of the leader").isTrue();

        // up.sh brings the signalled replica back (as a follower); then every replica agrees again
        assertThat(deployment.up().exitCode()).as("up.sh after " + signal).isZero();
        assertThat(deployment.process("replica" + oldReplica)).as("restarted replica" + oldReplica).isPresent();
        JsonNode after = await(signal + ": all three replicas agree").atMost(PATIENCE)
            .until(DeployFailoverIT::agreement, Optional::isPresent).orElseThrow();
        assertThat(after.get("leader").asText()).isEqualTo(newLeader);
        assertThat(runningTasks().stream().map(t -> t.get("taskId").asText()).toList()).containsExactly(taskId);
        return subscribedMillis;
    }

    /** The leader HAProxy routes to, once it is not {@code oldLeader} and its own view says it is subscribed. */
    private static Optional<String> subscribedLeaderThroughHaproxy(String oldLeader) {
        return deployment.getJson(deployment.api("/v1/leader"))
            .filter(v -> v.get("selfIsLeader").asBoolean())
            .map(v -> v.get("self").asText())
            .filter(self -> !self.equals(oldLeader))
            .filter(self -> phase(deployment.replicaOf(self)).filter(SUBSCRIBED_PHASES::contains).isPresent());
    }

    private static Optional<String> phase(int replica) {
        return deployment.getJson(deployment.admin(replica, "/beehive")).map(v -> v.get("phase").asText());
    }

    private static List<JsonNode> runningTasks() throws IOException, InterruptedException {
        HttpResponse<String> r = deployment.get(deployment.api("/v1/tasks?job=" + JOB + "&state=running"));
        if (r.statusCode() != 200) {
            return List.of();
        }
        JsonNode tasks = JSON.readTree(r.body());
        return Stream.iterate(0, i -> i < tasks.size(), i -> i + 1).map(tasks::get).toList();
    }

    private static Optional<Path> taskPidFile(String task) throws IOException {
        try (Stream<Path> files = Files.walk(deployment.runDir().resolve("mesos/work"))) {
            return files.filter(p -> p.getFileName().toString().equals("task.pid") && p.toString().contains(task))
                .filter(p -> {
                    try {
                        return !Files.readString(p).isBlank();
                    } catch (IOException e) {
                        return false;
                    }
                }).findFirst();
        }
    }

    /** Waits until all three admin views agree, then returns one of them. */
    private static JsonNode allReplicasAgree() {
        return await("all three replicas agree on leader and FrameworkID").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200)).until(DeployFailoverIT::agreement, Optional::isPresent).orElseThrow();
    }

    /**
     * Present when all three replicas answer their admin {@code /beehive}, name the same leader and FrameworkID
     * (the one of the deployment, once known), and exactly the named leader says it leads.
     */
    private static Optional<JsonNode> agreement() {
        List<JsonNode> views = deployment.stateViews();
        if (views.size() != LocalDeployment.REPLICAS) {
            return Optional.empty();
        }
        JsonNode first = views.get(0);
        String leader = first.get("leader").asText(null);
        String fw = first.get("frameworkId").asText(null);
        if (leader == null || fw == null || (frameworkId != null && !frameworkId.equals(fw))) {
            return Optional.empty();
        }
        for (JsonNode v : views) {
            boolean isLeader = v.get("self").asText().equals(leader);
            if (!leader.equals(v.get("leader").asText(null)) || !fw.equals(v.get("frameworkId").asText(null))
                || !v.get("role").asText().equals(isLeader ? "leader" : "follower")) {
                return Optional.empty();
            }
        }
        return Optional.of(first);
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("bash", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
