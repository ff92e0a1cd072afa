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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        deployment = Deployments.startFromJar(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT));

        new BeehiveApi(deployment).createJob(BeehiveApi.serviceJob(JOB, 1, TaskSandboxes.PID_AND_SLEEP, 0.1, 32), PATIENCE);
        JsonNode running = await("the job's task RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> runningTasks().stream().findFirst().orElse(null), t -> t != null);
        taskId = running.get("taskId").asText();
        taskProcess = TaskSandboxes.awaitProcess(deployment, taskId);
        frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
        System.out.println("deployment up; FrameworkID " + frameworkId + ", task " + taskId + " pid " + taskProcess.pid());
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        if (deployment == null) {
            return;
        }
        deployment.close();
        if (taskProcess != null) {
            assertThat(taskProcess.isAlive()).as("task process after down.sh stopped the Mesos cluster").isFalse();
        }
    }

    @Test
    @Order(1)
    void upRoutesOnlyToTheLeaderAndStatusShowsEveryProcess() throws Exception {
        LocalDeployment.ScriptResult status = deployment.status();
        assertThat(status.exitCode()).as("status.sh exit code (non-zero when a process is down)").isZero();
        assertThat(status.output()).contains("replica1", "replica2", "replica3", "zk3", "mesos-master1", "mesos-master2", "mesos-agents", "haproxy")
            .doesNotContain("stopped");
        String leader = ReplicaAgreement.await(deployment, frameworkId).leader();
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
        assertThat(ReplicaAgreement.await(deployment, frameworkId).leader()).isEqualTo(leader);
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
        String oldLeader = ReplicaAgreement.await(deployment, frameworkId).leader();
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
        assertThat(ReplicaAgreement.await(deployment, frameworkId).leader()).isEqualTo(newLeader);
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
}
