package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fail-overs on a real Mesos 1.11 master and agents (issue 16, section 1), one deployment for all of them (see
 * {@link RealMesosJobsIT} for how it runs): the leading replica stopped with SIGTERM and killed with SIGKILL (timed
 * as {@code DeployBenchmarkTest} times them on the local master), the master killed and restarted on the same
 * address (replicated_log: it keeps the cluster), an agent killed and restarted (it recovers its tasks), an agent
 * lost for good (PARTITION_AWARE: the tasks go TASK_UNREACHABLE, keep their slots for
 * {@code tasks.unreachableReplaceAfter}, then are replaced on the other agent). Throughout, the service's tasks keep
 * their ids and processes, and the master knows exactly one framework, ours.
 */
@Tag("real-mesos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealMesosFailoverIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int AGENTS = 2;
    private static final String JOB = "steady";
    private static final int INSTANCES = 2;
    private static final Duration UNREACHABLE_REPLACE_AFTER = Duration.ofSeconds(20);
    private static final int HAND_OFFS = Integer.getInteger("beehive.realMesos.handOffs", 3);

    private static LocalDeployment deployment;
    private static BeehiveApi api;
    private static String frameworkId;
    private static final List<ProcessHandle> taskProcesses = new ArrayList<>();

    @BeforeAll
    static void startDeployment() throws Exception {
        deployment = Deployments.startWithRealMesos(Map.of(
            "BEEHIVE_ZK_SESSION_TIMEOUT", "4s",
            "BEEHIVE_DEPLOY_AGENTS", Integer.toString(AGENTS),
            "BEEHIVE_UNREACHABLE_REPLACE_AFTER", UNREACHABLE_REPLACE_AFTER.toSeconds() + "s",
            // an agent that stops answering is unreachable after about 5 s (default: 75 s)
            "BEEHIVE_DEPLOY_MESOS_MASTER_FLAGS", "--agent_ping_timeout=1secs --max_agent_ping_timeouts=5"));
        api = new BeehiveApi(deployment);
        frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
        api.createJob(BeehiveApi.serviceJob(JOB, INSTANCES, TaskSandboxes.PID_AND_SLEEP, 0.1, 32), PATIENCE);
        await("the service RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> api.runningTasks(JOB).size() == INSTANCES);
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        if (deployment != null) {
            deployment.close();
            assertThat(taskProcesses).as("task processes after down.sh").noneMatch(ProcessHandle::isAlive);
            assertThat(RealMesosReport.processesUnder(deployment.runDir().resolve("mesos")))
                .as("processes left in the Mesos work area after down.sh").isEmpty();
        }
    }

    @Test
    @Order(1)
    void theLeaderIsStoppedAndKilledAndTheTasksKeepTheirIdsUnderOneFrameworkId() throws Exception {
        Map<String, ProcessHandle> before = steadyProcesses();
        double registered = ourFramework().path("registered_time").asDouble();
        Map<String, List<LeaderFailover>> runs = new HashMap<>();
        double lastReregistered = 0;
        for (String signal : List.of("TERM", "KILL")) {
            int count = signal.equals("TERM") ? HAND_OFFS : 1;
            for (int i = 0; i < count; i++) {
                LeaderFailover run = LeaderFailover.run(deployment, api, frameworkId, signal,
                    "first-" + signal.toLowerCase() + "-" + i);
                runs.computeIfAbsent(signal, s -> new ArrayList<>()).add(run);
                RealMesosReport.line("SIG%s run %d: replica%d -> replica%d subscribed %d ms, ACTIVE %d ms, first new "
                        + "task RUNNING %d ms", signal, i + 1, run.replica(), run.successor(), run.subscribedMillis(),
                    run.activeMillis(), run.firstTaskRunningMillis());

                assertThat(steadyTaskIds()).as("the service's tasks after SIG" + signal).isEqualTo(before.keySet());
                assertThat(before.values()).as("their processes after SIG" + signal).allMatch(ProcessHandle::isAlive);
                JsonNode state = deployment.getJson(deployment.mesos("/state")).orElseThrow();
                assertThat(state.path("frameworks")).as("frameworks at the master").hasSize(1);
                assertThat(state.path("completed_frameworks")).as("completed frameworks at the master").isEmpty();
                JsonNode fw = state.path("frameworks").get(0);
                assertThat(fw.path("id").asText()).isEqualTo(frameworkId);
                double reregistered = fw.path("reregistered_time").asDouble();
                assertThat(reregistered).as("reregistered_time after SIG" + signal + ": " + fw.path("reregistered_time"))
                    .isGreaterThan(Math.max(registered, lastReregistered));
                lastReregistered = reregistered;
            }
        }
        for (Map.Entry<String, List<LeaderFailover>> e : runs.entrySet()) {
            long[] active = e.getValue().stream().mapToLong(LeaderFailover::activeMillis).toArray();
            long[] first = e.getValue().stream().mapToLong(LeaderFailover::firstTaskRunningMillis).toArray();
            RealMesosReport.line("SIG%s ACTIVE median %d ms, first new task RUNNING median %d ms (%d runs, session 4s)",
                e.getKey(), DeployBenchmarkTest.percentile(active, 50), DeployBenchmarkTest.percentile(first, 50),
                active.length);
        }
        // the dead leader's ephemeral election node lives until its session expires: nobody may lead before that
        assertThat(runs.get("KILL").get(0).activeMillis()).as("SIGKILL to ACTIVE, session 4 s").isGreaterThanOrEqualTo(2_000);
    }

    @Test
    @Order(2)
    void theMasterIsKilledAndRestartedAndTheFrameworkResubscribesWithItsTasksRunning() throws Exception {
        Map<String, ProcessHandle> before = steadyProcesses();
        String oldMaster = deployment.getJson(deployment.mesos("/state")).orElseThrow().path("id").asText();
        int leader = ReplicaAgreement.await(deployment, frameworkId).leaderReplica(deployment);
        long selfRedirectsBefore = logLines(leader, "it is about to lead");

        long killed = System.nanoTime();
        deployment.signal(deployment.masterProcess(), "KILL");
        await("the master's process dies").atMost(PATIENCE)
            .until(() -> deployment.processQuietly(deployment.masterProcess()).isEmpty());
        // up.sh starts it again on the same address and work directory, and returns once it leads with both agents
        CompletableFuture<LocalDeployment.ScriptResult> up = CompletableFuture.supplyAsync(() -> {
            try {
                return deployment.up();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // one look every 50 ms: when the restarted master first answers /state as the leader (elected and recovered;
        // before that it redirects, or answers 503), and when it first shows the framework subscribed again
        java.util.concurrent.atomic.AtomicLong leadsSeen = new java.util.concurrent.atomic.AtomicLong();
        JsonNode state = await("the framework subscribed at the restarted master").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> {
                JsonNode s = deployment.getJson(deployment.mesos("/state")).orElse(null);
                if (s == null || s.path("id").asText().equals(oldMaster)) {
                    return null;
                }
                leadsSeen.compareAndSet(0, System.nanoTime());
                return s;
            }, s -> s != null && framework(s).map(f -> f.path("active").asBoolean()
                && f.path("connected").asBoolean()).orElse(false));
        long subscribedSeen = System.nanoTime();
        long resubscribedMillis = (subscribedSeen - killed) / 1_000_000;
        long leadsToSubscribedMillis = (subscribedSeen - leadsSeen.get()) / 1_000_000;
        assertThat(up.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).exitCode()).as("up.sh restarting the master").isZero();
        JsonNode fw = framework(state).orElseThrow();

        await("the service's tasks RUNNING at the restarted master").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> MesosMasterState.read(deployment, frameworkId).map(m -> m.taskStates().entrySet().stream()
                .filter(e -> e.getValue().equals("TASK_RUNNING")).map(Map.Entry::getKey)
                .filter(id -> MesosMasterState.jobOf(id).equals(JOB)).collect(java.util.stream.Collectors.toSet()))
                .orElse(Set.of()), before.keySet()::equals);
        assertThat(before.values()).as("the tasks' processes after the master restart").allMatch(ProcessHandle::isAlive);
        assertThat(steadyTaskIds()).as("Beehive's running tasks").isEqualTo(before.keySet());
        assertThat(ReplicaAgreement.await(deployment, frameworkId).leaderReplica(deployment))
            .as("the same replica leads").isEqualTo(leader);
        long selfRedirects = logLines(leader, "it is about to lead") - selfRedirectsBefore;
        RealMesosReport.line("master SIGKILL + restart: framework %s re-subscribed at the new master %d ms after the "
                + "kill, %d ms after the master first answered as leader (master: elected_time %s, framework "
                + "registered_time %s, reregistered_time %s); %d about-to-lead episode(s) (307 to itself or 503 "
                + "recovering) in the leader's log; tasks kept: PASS", frameworkId, resubscribedMillis, leadsToSubscribedMillis, state.path("elected_time"),
            fw.path("registered_time"), fw.path("reregistered_time"), selfRedirects);
        // the growing backoff made this 4.2 s; asked again every 100 ms, a master that leads is subscribed to at once
        assertThat(leadsToSubscribedMillis).as("ms from the master answering as leader to the framework subscribed")
            .isLessThan(2_000);
    }

    @Test
    @Order(3)
    void anAgentIsKilledAndRestartedAndRecoversItsTasks() throws Exception {
        Map<String, ProcessHandle> before = steadyProcesses();
        int agent = agentRunning(before.keySet().iterator().next());
        String agentId = deployment.getJson(deployment.mesosAgent(agent, "/state")).orElseThrow().path("id").asText();
        ProcessHandle process = deployment.process(deployment.agentProcess(agent)).orElseThrow();

        long killed = System.nanoTime();
        deployment.signal(deployment.agentProcess(agent), "KILL");
        await("the agent's process dies").atMost(PATIENCE).until(() -> !process.isAlive());
        assertThat(deployment.up().exitCode()).as("up.sh restarting the agent").isZero();
        await("the service's tasks RUNNING again at the master").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> MesosMasterState.read(deployment, frameworkId).map(m -> before.keySet().stream()
                .allMatch(id -> "TASK_RUNNING".equals(m.taskStates().get(id)))).orElse(false));
        long recoveredMillis = (System.nanoTime() - killed) / 1_000_000;

        assertThat(deployment.getJson(deployment.mesosAgent(agent, "/state")).orElseThrow().path("id").asText())
            .as("the restarted agent's id (recovered, not a new agent)").isEqualTo(agentId);
        assertThat(before.values()).as("the tasks' processes").allMatch(ProcessHandle::isAlive);
        assertThat(steadyProcesses()).as("task id -> pid after the agent restart")
            .isEqualTo(before);
        assertThat(steadyTaskIds()).isEqualTo(before.keySet());
        RealMesosReport.line("agent SIGKILL + restart: agent %s recovered its tasks (same ids, same pids), all RUNNING "
            + "at the master %d ms after the kill: PASS", agentId, recoveredMillis);
    }

    @Test
    @Order(4)
    void anAgentLostForGoodHasItsTasksUnreachableKeptForTheirSlotTimeThenReplaced() throws Exception {
        Map<String, ProcessHandle> before = steadyProcesses();
        String lostTask = before.keySet().iterator().next();
        int agent = agentRunning(lostTask);
        int other = agent == 1 ? 2 : 1;
        String otherId = deployment.getJson(deployment.mesosAgent(other, "/state")).orElseThrow().path("id").asText();
        Set<String> stranded = new HashSet<>();
        for (String id : before.keySet()) {
            if (agentRunning(id) == agent) {
                stranded.add(id);
            }
        }

        long killed = System.nanoTime();
        deployment.signal(deployment.agentProcess(agent), "KILL");
        await(lostTask + " TASK_UNREACHABLE in Beehive").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
            .until(() -> api.task(lostTask).map(t -> t.path("state").asText()).orElse(""), "TASK_UNREACHABLE"::equals);
        long unreachable = System.nanoTime();
        JsonNode atMaster = MesosMasterState.read(deployment, frameworkId).orElseThrow().framework().orElseThrow()
            .path("unreachable_tasks");
        assertThat(atMaster.findValuesAsText("id")).as("the master's unreachable tasks").contains(lostTask);

        Set<String> replacements = await("replacements RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
            .until(() -> {
                Set<String> running = steadyTaskIds();
                running.removeAll(before.keySet());
                return running;
            }, r -> r.size() == stranded.size());
        long replacedMillis = (System.nanoTime() - unreachable) / 1_000_000;
        assertThat(replacedMillis).as("TASK_UNREACHABLE seen -> replacement RUNNING (slot kept "
            + UNREACHABLE_REPLACE_AFTER.toSeconds() + " s)").isGreaterThanOrEqualTo(UNREACHABLE_REPLACE_AFTER.toMillis() - 1_000);
        for (String id : replacements) {
            assertThat(api.task(id).orElseThrow().path("agentId").asText()).as("agent of replacement " + id).isEqualTo(otherId);
        }
        RealMesosReport.line("agent lost for good: %s TASK_UNREACHABLE %d ms after SIGKILL of the agent, replaced on the "
                + "other agent %d ms later (unreachableReplaceAfter %d s): PASS", stranded, (unreachable - killed) / 1_000_000,
            replacedMillis, UNREACHABLE_REPLACE_AFTER.toSeconds());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Set<String> steadyTaskIds() {
        return new HashSet<>(api.runningTasks(JOB).stream().map(t -> t.path("taskId").asText()).toList());
    }

    /** The service's running tasks with their processes (remembered for the check after down.sh). */
    private static Map<String, ProcessHandle> steadyProcesses() {
        Map<String, ProcessHandle> out = new HashMap<>();
        for (String id : steadyTaskIds()) {
            ProcessHandle p = TaskSandboxes.awaitProcess(deployment, id);
            out.put(id, p);
            if (!taskProcesses.contains(p)) {
                taskProcesses.add(p);
            }
        }
        assertThat(out).hasSize(INSTANCES);
        return out;
    }

    private static JsonNode ourFramework() {
        return framework(deployment.getJson(deployment.mesos("/state")).orElseThrow()).orElseThrow();
    }

    private static Optional<JsonNode> framework(JsonNode state) {
        for (JsonNode f : state.path("frameworks")) {
            if (f.path("id").asText().equals(frameworkId)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The agent (1..) whose own {@code /state} lists the task under one of its executors. */
    private static int agentRunning(String taskId) {
        for (int i = 1; i <= AGENTS; i++) {
            Optional<JsonNode> state = deployment.getJson(deployment.mesosAgent(i, "/state"));
            if (state.isPresent()) {
                for (JsonNode f : state.get().path("frameworks")) {
                    for (JsonNode e : f.path("executors")) {
                        if (e.path("tasks").findValuesAsText("id").contains(taskId)) {
                            return i;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no agent runs " + taskId);
    }

    private static long logLines(int replica, String text) throws java.io.IOException {
        try (var lines = Files.lines(deployment.logOf("replica" + replica))) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }
}
