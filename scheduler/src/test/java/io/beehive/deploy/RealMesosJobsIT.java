package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs on a real Mesos 1.11 master and agents (issue 16, section 1): {@code up.sh} with
 * {@code BEEHIVE_REAL_MESOS_HOME} runs {@code mesos-master} (elected in ZooKeeper, replicated_log registry) and two
 * {@code mesos-agent}s as processes, the three replicas and HAProxy as always. Run by {@code -Preal-mesos}; skipped
 * (JUnit assumption) when no build is named. The master's own {@code /state} and the sandbox files on disk are the
 * truth each scenario is checked against: task logs read through Beehive from the real agent's {@code /files/read}
 * (issue 17), a service scaled, a task killed and replaced, a job deleted, a rolling deployment that never drops
 * below capacity, and a failing health check that makes the real executor kill its task.
 */
@Tag("real-mesos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealMesosJobsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int AGENTS = 2;
    /** The interpreter itself, not a version-manager shim; serves its working directory, the sandbox. */
    private static final String HTTP_SERVER = "P=/usr/bin/python3; [ -x \"$P\" ] || P=python3; "
        + "exec \"$P\" -m http.server \"$PORT0\" --bind 127.0.0.1";

    private static LocalDeployment deployment;
    private static BeehiveApi api;
    private static String frameworkId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startDeployment() throws Exception {
        long t0 = System.nanoTime();
        deployment = Deployments.startWithRealMesos(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", "4s",
            "BEEHIVE_DEPLOY_AGENTS", Integer.toString(AGENTS)));
        api = new BeehiveApi(deployment);
        frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
        RealMesosReport.line("jobs: deployment up (real master, %d agents, 3 replicas, HAProxy) in %d ms", AGENTS,
            (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        if (deployment != null) {
            deployment.close();
            assertThat(RealMesosReport.processesUnder(deployment.runDir().resolve("mesos")))
                .as("processes left in the Mesos work area after down.sh").isEmpty();
        }
    }

    @Test
    @Order(1)
    void aBatchJobsLogsAreReadFromTheRealAgentWindowedFollowedAndWithClearErrors() throws Exception {
        long t0 = System.nanoTime();
        String job = "printer";
        api.createJob(BeehiveApi.batchJob(job, "echo $$ > \"$MESOS_SANDBOX/task.pid\"; echo batch-error >&2; i=1; "
            + "while [ $i -le 300 ]; do echo \"line $i of the batch job\"; i=$((i+1)); done; sleep 3; echo batch-end",
            0.1, 32), PATIENCE);
        String taskId = await("the batch task RUNNING").atMost(PATIENCE).ignoreExceptions().pollInterval(Duration.ofMillis(100))
            .until(() -> api.runningTasks(job), t -> !t.isEmpty()).get(0).path("taskId").asText();
        Path sandbox = TaskSandboxes.awaitSandbox(deployment, taskId);

        // followed from the start while it runs: every byte, then eof once the task is terminal
        Followed followed = follow(deployment.api("/v1/tasks/" + taskId + "/logs/stdout?follow=true&offset=0"));
        JsonNode finished = await("the batch task FINISHED").atMost(PATIENCE).ignoreExceptions().pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(taskId).orElse(null), t -> t != null && t.path("state").asText().equals("TASK_FINISHED"));
        byte[] stdout = Files.readAllBytes(sandbox.resolve("stdout"));
        assertThat(new String(stdout, StandardCharsets.UTF_8)).contains("line 1 of the batch job", "line 300 of the batch job",
            "batch-end");
        assertThat(followed.data()).as("stdout followed until eof").isEqualTo(new String(stdout, StandardCharsets.UTF_8));
        assertThat(followed.eofOffset()).as("eof offset").isEqualTo(stdout.length);

        // windows: the first 100 bytes, the last 50, and sizes as the agent reports them
        JsonNode head = window(taskId, "stdout", "?offset=0&length=100");
        assertThat(head.path("data").asText()).isEqualTo(new String(stdout, 0, 100, StandardCharsets.UTF_8));
        assertThat(head.path("size").asLong()).isEqualTo(stdout.length);
        JsonNode tail = window(taskId, "stdout", "?length=50");
        assertThat(tail.path("offset").asLong()).isEqualTo(stdout.length - 50);
        assertThat(tail.path("data").asText()).isEqualTo(new String(stdout, stdout.length - 50, 50, StandardCharsets.UTF_8));
        byte[] stderr = Files.readAllBytes(sandbox.resolve("stderr"));
        JsonNode err = window(taskId, "stderr", "?offset=0&length=" + stderr.length);
        assertThat(err.path("data").asText()).contains("batch-error").isEqualTo(new String(stderr, StandardCharsets.UTF_8));

        HttpResponse<String> unknown = deployment.get(deployment.api("/v1/tasks/nosuch.0.0.abc/logs/stdout"));
        assertThat(unknown.statusCode()).as("logs of an unknown task: " + unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("nosuch.0.0.abc");

        // every agent stopped (SIGSTOP: it accepts connections and answers nothing): 502 naming the agent
        for (int i = 1; i <= AGENTS; i++) {
            deployment.signal(deployment.agentProcess(i), "STOP");
        }
        HttpResponse<String> stopped;
        long asked = System.nanoTime();
        try {
            stopped = deployment.get(deployment.api("/v1/tasks/" + taskId + "/logs/stdout?offset=0&length=10"),
                Duration.ofSeconds(30));
        } finally {
            for (int i = 1; i <= AGENTS; i++) {
                deployment.signal(deployment.agentProcess(i), "CONT");
            }
        }
        long answeredMillis = (System.nanoTime() - asked) / 1_000_000;
        assertThat(stopped.statusCode()).as("logs while the agent is stopped: " + stopped.body()).isEqualTo(502);
        assertThat(stopped.body()).contains("agent");
        assertThat(window(taskId, "stdout", "?offset=0&length=100").path("data").asText())
            .as("read again once the agent runs").isEqualTo(new String(stdout, 0, 100, StandardCharsets.UTF_8));

        // never more than api.logs.maxBytesPerRequest (1 MiB by default) in one answer
        HttpResponse<String> tooMuch = deployment.get(deployment.api("/v1/tasks/" + taskId + "/logs/stdout?length=1048577"));
        assertThat(tooMuch.statusCode()).as("a window above the limit: " + tooMuch.body()).isEqualTo(400);
        assertThat(tooMuch.body()).contains("at most 1048576 bytes");
        assertThat(window(taskId, "stdout", "?offset=0&length=1048576").path("data").asText())
            .as("a window at the limit").isEqualTo(new String(stdout, StandardCharsets.UTF_8));

        // the sandbox removed on the agent's disk (as its garbage collection does): the real agent's /files/read
        // answers 404 for it, which Beehive reports as 410
        deleteTree(sandbox);
        HttpResponse<String> gone = deployment.get(deployment.api("/v1/tasks/" + taskId + "/logs/stdout"));
        assertThat(gone.statusCode()).as("logs of a removed sandbox: " + gone.body()).isEqualTo(410);
        assertThat(gone.body()).contains("the sandbox is gone");
        RealMesosReport.line("logs: batch job FINISHED (%s), %d bytes of stdout followed to eof and windowed, "
                + "stderr, 404 unknown task, 502 in %d ms with the agents stopped (%s), 400 above 1 MiB, 410 once the "
                + "sandbox was removed: PASS in %d ms",
            finished.path("state").asText(), stdout.length, answeredMillis, JSON.readTree(stopped.body()).path("message").asText(),
            (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    @Order(2)
    void aServiceIsScaledATaskKilledAndReplacedAndTheDeletedJobsTasksKilledAtTheMaster() throws Exception {
        long t0 = System.nanoTime();
        String job = "svc";
        api.createJob(BeehiveApi.serviceJob(job, 2, TaskSandboxes.PID_AND_SLEEP, 0.1, 32), PATIENCE);
        awaitLive(job, 2);
        api.scale(job, 3);
        Set<String> three = awaitLive(job, 3);
        api.scale(job, 1);
        Set<String> one = awaitLive(job, 1);
        assertThat(three).containsAll(one);
        for (String gone : difference(three, one)) {
            assertThat(masterTask(gone).path("state").asText()).as("scaled-down task " + gone).isEqualTo("TASK_KILLED");
        }

        String victim = one.iterator().next();
        ProcessHandle victimProcess = TaskSandboxes.awaitProcess(deployment, victim);
        api.killTask(victim);
        Set<String> replaced = await("a replacement RUNNING at the master").atMost(PATIENCE).ignoreExceptions()
            .pollInterval(Duration.ofMillis(200)).until(() -> awaitLive(job, 1), s -> !s.contains(victim));
        assertThat(masterTask(victim).path("state").asText()).as("the killed task at the master").isEqualTo("TASK_KILLED");
        await("the killed task's process exits").atMost(PATIENCE).ignoreExceptions().until(() -> !victimProcess.isAlive());
        String replacement = replaced.iterator().next();
        ProcessHandle replacementProcess = TaskSandboxes.awaitProcess(deployment, replacement);

        api.deleteJob(job);
        await("the deleted job's task killed at the master").atMost(PATIENCE).ignoreExceptions().pollInterval(Duration.ofMillis(200))
            .until(() -> masterTask(replacement).path("state").asText().equals("TASK_KILLED"));
        assertThat(master().liveTasksByJob()).as("live tasks of the deleted job").doesNotContainKey(job);
        await("the deleted job's process exits").atMost(PATIENCE).ignoreExceptions().until(() -> !replacementProcess.isAlive());
        RealMesosReport.line("service: 2 -> 3 -> 1 instances, kill -> replacement, delete -> TASK_KILLED at the master:"
            + " PASS in %d ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    @Order(3)
    void aRollingDeploymentNeverDropsBelowCapacityAndAFailingHealthCheckMakesTheAgentKillTheTask() throws Exception {
        long t0 = System.nanoTime();
        String job = "web";
        int instances = 3;
        ObjectNode spec = JSON.createObjectNode().put("id", job).put("kind", "SERVICE").put("instances", instances)
            .put("command", "echo $$ > task.pid; echo ok > healthy; " + HTTP_SERVER);
        spec.putObject("environment").put("VERSION", "1");
        spec.putObject("resources").put("cpus", 0.05).put("memMb", 32).put("ports", 1);
        // the server answers /healthy from the sandbox: deleting the file there makes one instance fail its check
        spec.putObject("healthCheck").put("type", "HTTP").put("portIndex", 0).put("path", "/healthy")
            .put("delaySeconds", 0.5).put("intervalSeconds", 1.0).put("timeoutSeconds", 10.0)
            .put("consecutiveFailures", 3).put("gracePeriodSeconds", 10.0);
        // floor 3 ready, ceiling 4 live
        spec.putObject("upgradeStrategy").put("minimumHealthyCapacity", 1.0).put("maximumOverCapacity", 0.34)
            .put("maxFailures", 3).put("progressDeadlineSeconds", 600);
        api.createJob(spec.toString(), PATIENCE);
        awaitAllReady(job, instances);

        Set<String> oldTasks = DeploymentSampler.look(deployment, frameworkId, job).orElseThrow().live().keySet();
        long deployMillis;
        int minReady;
        int maxLive;
        try (DeploymentSampler sampler = new DeploymentSampler(deployment, frameworkId, job, Duration.ofMinutes(6))) {
            long patched = System.nanoTime();
            HttpResponse<String> r = deployment.patch(deployment.api("/v1/jobs/" + job), "{\"environment\":{\"VERSION\":\"2\"}}");
            assertThat(r.statusCode()).as("PATCH: " + r.body()).isEqualTo(200);
            String deploymentId = JSON.readTree(r.body()).path("deployment").path("id").asText();
            assertThat(deploymentId).as("the PATCH started a deployment").isNotEmpty();
            JsonNode ended = await("the deployment ends").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> deployment.getJson(deployment.api("/v1/jobs/" + job)).orElse(null),
                    j -> j != null && (j.path("deployment").isMissingNode() || j.path("deployment").isNull()))
                .path("deploymentHistory").path(0);
            deployMillis = (System.nanoTime() - patched) / 1_000_000;
            assertThat(ended.path("id").asText()).isEqualTo(deploymentId);
            assertThat(ended.path("result").asText()).as("the deployment: " + ended).isEqualTo("SUCCEEDED");
            Set<String> newTasks = awaitAllReady(job, instances);
            assertThat(newTasks).as("every instance replaced").doesNotContainAnyElementsOf(oldTasks);
            int looks = sampler.samples().size();
            await("two more looks at the end state").atMost(PATIENCE).ignoreExceptions().until(() -> sampler.samples().size() > looks + 1);
            List<DeploymentSampler.Sample> samples = sampler.samples();
            minReady = samples.stream().mapToInt(s -> s.ready().size()).min().orElseThrow();
            maxLive = samples.stream().mapToInt(s -> s.live().size()).max().orElseThrow();
            assertThat(samples.size()).as("looks at the master").isGreaterThan(20);
            assertThat(minReady).as("fewest ready (healthy, RUNNING) tasks at the master during the deployment")
                .isGreaterThanOrEqualTo(instances);
            assertThat(maxLive).as("most live tasks at the master during the deployment").isLessThanOrEqualTo(instances + 1);
        }

        // the health check fails: the real executor reports it unhealthy and kills the task; Beehive replaces it
        String sick = awaitAllReady(job, instances).iterator().next();
        ProcessHandle sickProcess = TaskSandboxes.awaitProcess(deployment, sick);
        long broken = System.nanoTime();
        Files.delete(TaskSandboxes.awaitSandbox(deployment, sick).resolve("healthy"));
        await("the unhealthy task ends at the master").atMost(PATIENCE).ignoreExceptions().pollInterval(Duration.ofMillis(200))
            .until(() -> !MesosMasterState.LIVE.contains(masterTask(sick).path("state").asText()));
        long endedMillis = (System.nanoTime() - broken) / 1_000_000;
        JsonNode record = masterTask(sick);
        assertThat(record.path("statuses")).as("statuses of the unhealthy task at the master: " + record.path("statuses"))
            .anySatisfy(s -> assertThat(s.path("healthy").isBoolean() && !s.path("healthy").asBoolean()).isTrue());
        Set<String> after = awaitAllReady(job, instances);
        assertThat(after).doesNotContain(sick);
        await("the unhealthy task's process exits").atMost(PATIENCE).ignoreExceptions().until(() -> !sickProcess.isAlive());
        JsonNode last = record.path("statuses").path(record.path("statuses").size() - 1);
        RealMesosReport.line("deployment: %d instances to version 2 in %d ms, min ready %d (floor %d), max live %d "
                + "(ceiling %d); failing health check -> %s (%s) %d ms after the file went, replaced: PASS in %d ms",
            instances, deployMillis, minReady, instances, maxLive, instances + 1, record.path("state").asText(),
            last.path("message").asText(last.path("reason").asText()), endedMillis, (System.nanoTime() - t0) / 1_000_000);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static MesosMasterState master() {
        return MesosMasterState.read(deployment, frameworkId).orElseThrow(() -> new AssertionError("no master /state"));
    }

    private static JsonNode masterTask(String taskId) {
        return master().allTasks().getOrDefault(taskId, JSON.createObjectNode());
    }

    /** Waits until the master runs exactly {@code n} live tasks of the job, all RUNNING and all RUNNING in Beehive. */
    private static Set<String> awaitLive(String job, int n) {
        return await(n + " tasks of " + job + " RUNNING at the master and in Beehive").atMost(PATIENCE).ignoreExceptions()
            .pollInterval(Duration.ofMillis(200)).until(() -> {
                MesosMasterState m = master();
                Set<String> live = new HashSet<>(m.liveTasksByJob().getOrDefault(job, List.of()));
                boolean running = live.stream().allMatch(id -> "TASK_RUNNING".equals(m.taskStates().get(id)));
                Set<String> beehive = new HashSet<>(api.runningTasks(job).stream().map(t -> t.path("taskId").asText()).toList());
                return live.size() == n && running && beehive.equals(live) ? live : null;
            }, s -> s != null);
    }

    /** Waits until the master shows exactly {@code n} live tasks of the job, every one RUNNING and healthy. */
    private static Set<String> awaitAllReady(String job, int n) {
        return await(n + " tasks of " + job + " ready, nothing else live").atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> DeploymentSampler.look(deployment, frameworkId, job).orElse(null),
                s -> s != null && s.live().size() == n && s.ready().size() == n).ready();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private JsonNode window(String taskId, String file, String query) throws IOException, InterruptedException {
        HttpResponse<String> r = deployment.get(deployment.api("/v1/tasks/" + taskId + "/logs/" + file + query));
        assertThat(r.statusCode()).as("GET logs/" + file + query + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** What a follow delivered: the concatenated {@code log} data and the {@code eof} offset. */
    private record Followed(String data, long eofOffset) {}

    /** Reads a follow's server-sent events until {@code eof} (an {@code error} event fails). */
    private Followed follow(URI uri) throws Exception {
        CompletableFuture<Followed> done = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
                assertThat(r.statusCode()).as("follow " + uri).isEqualTo(200);
                StringBuilder data = new StringBuilder();
                String event = null;
                try (Stream<String> lines = r.body()) {
                    Iterator<String> it = lines.iterator();
                    while (it.hasNext()) {
                        String line = it.next();
                        if (line.startsWith("event: ")) {
                            event = line.substring("event: ".length());
                        } else if (line.startsWith("data: ")) {
                            JsonNode payload = JSON.readTree(line.substring("data: ".length()));
                            if ("log".equals(event)) {
                                assertThat(payload.path("offset").asLong()).as("offset of a log event").isEqualTo(
                                    data.toString().getBytes(StandardCharsets.UTF_8).length);
                                data.append(payload.path("data").asText());
                            } else if ("eof".equals(event)) {
                                return new Followed(data.toString(), payload.path("offset").asLong());
                            } else if ("error".equals(event)) {
                                throw new AssertionError("follow ended with an error event: " + payload);
                            }
                        }
                    }
                }
                throw new AssertionError("follow ended without eof after " + data.length() + " characters");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return done.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
