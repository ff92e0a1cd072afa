package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant 8 (the capacity floor) across leader fail-overs, end to end: three replica JVMs behind HAProxy, the local
 * Mesos cluster running real processes. A 6-instance HTTP service with an HTTP health check and the strategy
 * minimumHealthyCapacity 1.0 / maximumOverCapacity 0.2 (floor 6 ready, ceiling 7 live) is deployed to a new version;
 * the leader is killed with SIGKILL once the first new instance is ready, the next leader is stopped with SIGTERM
 * once it has moved the deployment on by a step, and the third replica must finish it. A {@link DeploymentSampler}
 * reads the Mesos master every 100 ms throughout: at no look may fewer than 6 tasks be ready or more than 7 live,
 * and no instance may ever run two tasks of the new version at once. A second scenario deploys a version whose
 * health check fails and must roll back by itself under the same invariant.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentFailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** A deployment of 6 instances takes ~15 s on an idle machine; a busy one and two fail-overs need far more. */
    private static final Duration DEPLOY_PATIENCE = Duration.ofMinutes(3);
    private static final String JOB = "web";
    private static final int INSTANCES = 6;
    private static final int FLOOR = 6;
    private static final int CEILING = 7;
    /**
     * The python found first: the interpreter itself, not a version-manager shim (pyenv's adds a second of start-up
     * per task). The sandbox's directory listing is what "/" serves.
     */
    private static final String HTTP_SERVER = "P=/usr/bin/python3; [ -x \"$P\" ] || P=python3; "
        + "exec \"$P\" -m http.server \"$PORT0\" --bind 127.0.0.1";

    private static LocalDeployment deployment;
    private static BeehiveApi api;
    private static LeaderProbe probe;
    private static String frameworkId;

    @BeforeAll
    static void startDeployment() throws Exception {
        deployment = Deployments.startFromJar(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", "4s"));
        api = new BeehiveApi(deployment);
        probe = new LeaderProbe(deployment);
        frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
        api.createJob(webJob(), PATIENCE);
        awaitAllReady("the first version");
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    @Order(1)
    void aRollingDeploymentKeepsFloorAndCeilingWhileTwoLeadersGo() throws Exception {
        Set<String> oldTasks = DeploymentSampler.look(deployment, frameworkId, JOB).orElseThrow().live().keySet();
        List<String> failovers = new ArrayList<>();
        long deployMillis;
        long target;
        String deploymentId;
        int finisher;
        try (DeploymentSampler sampler = new DeploymentSampler(deployment, frameworkId, JOB, Duration.ofMinutes(6))) {
            long patched = System.nanoTime();
            JsonNode updated = patch("{\"environment\":{\"VERSION\":\"2\"}}");
            target = updated.path("runVersion").asLong();
            deploymentId = updated.path("deployment").path("id").asText();
            assertThat(deploymentId).as("the PATCH started a deployment").isNotEmpty();

            // SIGKILL in the middle of the first step: a new instance ready, its old one about to go or going
            await("the first new instance ready").atMost(DEPLOY_PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> sampler.seen(s -> newReady(s, oldTasks) >= 1));
            int first = probe.leader().orElseThrow();
            assertThat(deployment(first)).as("the deployment still runs when its leader is killed").isPresent();
            int second = failOver(first, "KILL", ProcessHandle::destroyForcibly, stage(sampler, oldTasks), failovers);

            // the next leader must move the deployment on by itself before it is stopped in turn
            long stepsAtTakeover = deployment(second).orElseThrow(() -> new AssertionError("the deployment ended "
                + "before the second leader moved it")).path("steps").asLong();
            await("the second leader kills old instances (a step of the deployment)").atMost(DEPLOY_PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> deployment(second).map(d -> d.path("steps").asLong()).orElse(Long.MAX_VALUE),
                    steps -> steps > stepsAtTakeover);
            assertThat(deployment(second)).as("the deployment still runs when its second leader is stopped").isPresent();
            finisher = failOver(second, "TERM", ProcessHandle::destroy, stage(sampler, oldTasks), failovers);
            assertThat(finisher).isNotIn(first, second);

            JsonNode ended = awaitDeploymentEnded(deploymentId);
            deployMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - patched);
            assertThat(ended.path("result").asText()).as("the deployment's result: " + ended).isEqualTo("SUCCEEDED");
            assertThat(job().path("deploymentHistory").path(0).path("id").asText()).as("the newest in the history")
                .isEqualTo(deploymentId);
            awaitAllReady("the new version");
            int samples = sampler.samples().size();
            await("two more looks at the end state").atMost(PATIENCE).until(() -> sampler.samples().size() > samples + 1);
            assertThat(sampler.running()).as("the sampler ran until the end").isTrue();
            assertInvariantHeld(sampler, oldTasks, target, "deployment to version " + target);
        }
        assertThat(probe.leader()).as("the third replica leads at the end").contains(finisher);

        List<JsonNode> running = api.runningTasks(JOB);
        assertThat(running).hasSize(INSTANCES);
        assertThat(running).allSatisfy(t -> {
            assertThat(t.path("runVersion").asLong()).as("run version of " + t.path("taskId")).isEqualTo(target);
            assertThat(t.path("healthy").asBoolean()).as("healthy " + t.path("taskId")).isTrue();
        });
        assertThat(running.stream().map(t -> t.path("taskId").asText()))
            .as("Beehive's running tasks are the master's live ones")
            .containsExactlyInAnyOrderElementsOf(
                DeploymentSampler.look(deployment, frameworkId, JOB).orElseThrow().live().keySet());
        System.out.printf("DEPLOYMENT %d instances (floor %d, ceiling %d) with a SIGKILL and a SIGTERM of the leader: "
            + "%.1f s from PATCH to SUCCEEDED; fail-overs %s%n", INSTANCES, FLOOR, CEILING, deployMillis / 1000.0,
            failovers);
    }

    @Test
    @Order(2)
    void aVersionThatFailsItsHealthCheckRollsBackByItself() throws Exception {
        restoreReplicas();
        awaitAllReady("the current version");
        JsonNode before = job();
        long good = before.path("runVersion").asLong();
        Set<String> goodTasks = DeploymentSampler.look(deployment, frameworkId, JOB).orElseThrow().live().keySet();
        String updateId;
        long bad;
        try (DeploymentSampler sampler = new DeploymentSampler(deployment, frameworkId, JOB, Duration.ofMinutes(6))) {
            // same server, but checked on a path it answers with 404: the new version never becomes healthy
            JsonNode updated = patch("{\"healthCheck\":" + healthCheck("/missing") + "}");
            updateId = updated.path("deployment").path("id").asText();
            bad = updated.path("runVersion").asLong();
            assertThat(bad).isGreaterThan(good);

            await("the update fails and the rollback to version " + good + " ends").atMost(DEPLOY_PATIENCE)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode job = job();
                    return absent(job.path("deployment"))
                        && job.path("deploymentHistory").path(0).path("kind").asText().equals("ROLLBACK");
                });
            awaitAllReady("the rolled-back version");
            int samples = sampler.samples().size();
            await("two more looks at the end state").atMost(PATIENCE).until(() -> sampler.samples().size() > samples + 1);
            assertInvariantHeld(sampler, goodTasks, bad, "failed update to version " + bad + " and its rollback");
        }
        JsonNode after = job();
        JsonNode rollback = after.path("deploymentHistory").path(0);
        JsonNode update = after.path("deploymentHistory").path(1);
        assertThat(update.path("id").asText()).isEqualTo(updateId);
        assertThat(update.path("result").asText()).as("the update: " + update).isEqualTo("FAILED");
        assertThat(rollback.path("result").asText()).as("the rollback: " + rollback).isEqualTo("SUCCEEDED");
        assertThat(rollback.path("toVersion").asLong()).isEqualTo(good);
        assertThat(after.path("runVersion").asLong()).isEqualTo(good);
        // the old instances never stopped serving: the same six tasks run, each healthy
        List<JsonNode> running = api.runningTasks(JOB);
        assertThat(running.stream().map(t -> t.path("taskId").asText())).containsExactlyInAnyOrderElementsOf(goodTasks);
        assertThat(running).allSatisfy(t -> assertThat(t.path("healthy").asBoolean()).isTrue());
        System.out.printf("ROLLBACK %d instances: update failed (%s), rolled back in %.1f s%n", INSTANCES,
            update.path("detail").asText(), (rollback.path("endedAtMillis").asLong()
                - update.path("startedAtMillis").asLong()) / 1000.0);
    }

    // ---- the checks ------------------------------------------------------------------------------------------

    /**
     * At every look: at least {@link #FLOOR} ready, at most {@link #CEILING} live, and no instance with two live tasks
     * launched during the deployment (all of the target version: verified against Beehive's records afterwards).
     */
    private static void assertInvariantHeld(DeploymentSampler sampler, Set<String> oldTasks, long launchedVersion,
                                            String what) {
        List<DeploymentSampler.Sample> samples = sampler.samples();
        int minReady = samples.stream().mapToInt(s -> s.ready().size()).min().orElseThrow();
        int maxLive = samples.stream().mapToInt(s -> s.live().size()).max().orElseThrow();
        Map<Integer, Set<String>> launchedPerInstance = new TreeMap<>();
        samples.forEach(s -> s.live().keySet().stream().filter(id -> !oldTasks.contains(id))
            .forEach(id -> launchedPerInstance.computeIfAbsent(DeploymentSampler.instanceOf(id), i -> new HashSet<>())
                .add(id)));
        System.out.printf("SAMPLES %s: %d looks at the master over %.1f s (%d unanswered), min ready %d (floor %d), "
                + "max live %d (ceiling %d), tasks launched per instance %s%n", what, samples.size(),
            (samples.get(samples.size() - 1).atMillis() - samples.get(0).atMillis()) / 1000.0, sampler.failedReads(),
            minReady, FLOOR, maxLive, CEILING, launchedPerInstance.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().size()).toList());

        assertThat(samples.size()).as("looks at the master").isGreaterThan(50);
        assertThat(samples).as("looks with fewer than %d ready tasks", FLOOR)
            .filteredOn(s -> s.ready().size() < FLOOR).isEmpty();
        assertThat(samples).as("looks with more than %d live tasks", CEILING)
            .filteredOn(s -> s.live().size() > CEILING).isEmpty();
        assertThat(samples).as("looks where an instance had two live tasks launched during the deployment")
            .filteredOn(s -> s.liveByInstance().values().stream()
                .anyMatch(ids -> ids.stream().filter(id -> !oldTasks.contains(id)).count() > 1))
            .isEmpty();
        // every task the master showed that was not there before is a launch of this deployment, of its version
        // (Beehive keeps the last terminal records of a job only: a pruned one cannot be looked up)
        launchedPerInstance.values().stream().flatMap(Set::stream).forEach(id -> api.task(id).ifPresent(r ->
            assertThat(r.path("runVersion").asLong()).as("run version of " + id).isEqualTo(launchedVersion)));
    }

    // ---- fail-over -------------------------------------------------------------------------------------------

    /** Signals the leader (not restarted) and waits for another replica to lead and reach ACTIVE; its number. */
    private static int failOver(int leader, String signal, Consumer<ProcessHandle> send, String stage,
                                List<String> failovers) throws Exception {
        ProcessHandle process = deployment.process("replica" + leader).orElseThrow();
        Map<Integer, Long> terms = probe.termsInOffice();
        long signalled = System.nanoTime();
        send.accept(process);
        int next = await("another replica leading and ACTIVE after SIG" + signal + " of replica" + leader)
            .atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
            .until(() -> probe.newTermActive(leader, terms), Optional::isPresent).orElseThrow();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        failovers.add("SIG" + signal + " replica" + leader + " (" + stage + ") -> replica" + next + " ACTIVE " + millis
            + " ms");
        System.out.println("FAILOVER " + failovers.get(failovers.size() - 1));
        await("replica" + leader + " exited").atMost(PATIENCE).until(() -> !process.isAlive());
        return next;
    }

    /** up.sh starts the two stopped replicas again (followers), and all three must agree. */
    private static void restoreReplicas() throws Exception {
        assertThat(deployment.up().exitCode()).as("up.sh").isZero();
        ReplicaAgreement.await(deployment, frameworkId);
    }

    // ---- the job ---------------------------------------------------------------------------------------------

    private static String webJob() {
        ObjectNode job = JSON.createObjectNode().put("id", JOB).put("kind", "SERVICE").put("instances", INSTANCES)
            .put("command", HTTP_SERVER);
        job.putObject("environment").put("VERSION", "1");
        job.putObject("resources").put("cpus", 0.05).put("memMb", 32).put("ports", 1);
        job.set("healthCheck", readTree(healthCheck("/")));
        job.putObject("upgradeStrategy").put("minimumHealthyCapacity", 1.0).put("maximumOverCapacity", 0.2)
            .put("maxFailures", 3).put("progressDeadlineSeconds", 600);
        return job.toString();
    }

    /**
     * First check half a second after start, then every second. A server still starting is forgiven for 10 s
     * (python on a busy machine); a check may take 10 s before it counts as failed, so that a slow answer on a loaded
     * machine does not make a serving instance unhealthy (which would lower the ready count by no fault of Beehive's).
     */
    private static String healthCheck(String path) {
        return JSON.createObjectNode().put("type", "HTTP").put("portIndex", 0).put("path", path)
            .put("delaySeconds", 0.5).put("intervalSeconds", 1.0).put("timeoutSeconds", 10.0)
            .put("consecutiveFailures", 3).put("gracePeriodSeconds", path.equals("/") ? 10.0 : 2.0).toString();
    }

    /** Waits until the master shows exactly {@link #INSTANCES} tasks of the job, all ready. */
    private static void awaitAllReady(String what) {
        await(INSTANCES + " tasks of " + what + " ready, nothing else live").atMost(DEPLOY_PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> DeploymentSampler.look(deployment, frameworkId, JOB),
                s -> s.isPresent() && s.get().live().size() == INSTANCES && s.get().ready().size() == INSTANCES);
    }

    /** Where the deployment stands at the master's last look, for the report. */
    private static String stage(DeploymentSampler sampler, Set<String> oldTasks) {
        return sampler.latest().map(s -> newReady(s, oldTasks) + " of " + INSTANCES + " new ready, "
            + s.live().keySet().stream().filter(oldTasks::contains).count() + " old live").orElse("?");
    }

    private static int newReady(DeploymentSampler.Sample s, Set<String> oldTasks) {
        return (int) s.ready().stream().filter(id -> !oldTasks.contains(id)).count();
    }

    /** PATCHes the job through HAProxy, retrying what a fail-over answers (5xx, a closed connection). */
    private static JsonNode patch(String body) {
        return await("PATCH " + body).atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> r;
            try {
                r = deployment.patch(deployment.api("/v1/jobs/" + JOB), body);
            } catch (IOException e) {
                return Optional.<JsonNode>empty();
            }
            if (r.statusCode() >= 400 && r.statusCode() < 500) {
                throw new IllegalStateException("PATCH refused with " + r.statusCode() + ": " + r.body());
            }
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.<JsonNode>empty();
        }, Optional::isPresent).orElseThrow();
    }

    /** The job as the leader shows it through HAProxy (waits across a fail-over). */
    private static JsonNode job() {
        return await("GET /v1/jobs/" + JOB).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
            .until(() -> deployment.getJson(deployment.api("/v1/jobs/" + JOB)), Optional::isPresent).orElseThrow();
    }

    /** The deployment in progress as one replica's own API shows it (empty once it ended). */
    private static Optional<JsonNode> deployment(int replica) {
        JsonNode job = await("GET /v1/jobs/" + JOB + " on replica" + replica).atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> deployment.getJson(deployment.replicaApi(replica, "/v1/jobs/" + JOB)), Optional::isPresent)
            .orElseThrow();
        return Optional.of(job.path("deployment")).filter(d -> !absent(d));
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    /** Waits for the deployment to leave the job and returns its summary from the history. */
    private static JsonNode awaitDeploymentEnded(String deploymentId) {
        return await("deployment " + deploymentId + " ended").atMost(DEPLOY_PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> {
                JsonNode job = job();
                if (!absent(job.path("deployment"))) {
                    return Optional.<JsonNode>empty();
                }
                for (JsonNode d : job.path("deploymentHistory")) {
                    if (d.path("id").asText().equals(deploymentId)) {
                        return Optional.of(d);
                    }
                }
                throw new IllegalStateException("deployment " + deploymentId + " is not in the history: " + job);
            }, Optional::isPresent).orElseThrow();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
