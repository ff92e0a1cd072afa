package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The commonest real Mesos fail-over on the local cluster (issue 16): the deployment runs two master processes
 * (mesos-master1, mesos-master2) and one agents process (mesos-agents). The LEADING master is SIGKILLed while a
 * service runs; the standby takes over once the dead one's ZooKeeper node expires, recovers the agents from the
 * registry in ZooKeeper, and the agents re-register with their running tasks. Beehive must re-subscribe under the
 * same FrameworkID, find its tasks RUNNING by reconciliation (answered from the re-registered agents) without
 * launching replacements, and launch through the new master; the killed master, restarted, is a standby.
 */
class LocalMasterFailoverIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String JOB = "survivor";
    private static final String RECONCILED = "reconciliation done in";

    private static LocalDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = Deployments.startFromJar(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", "4s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void theLeadingMasterIsKilledAndTheStandbyKeepsTheAgentsTasksAndFramework() throws Exception {
        BeehiveApi api = new BeehiveApi(deployment);
        api.createJob(BeehiveApi.serviceJob(JOB, 2, TaskSandboxes.PID_AND_SLEEP, 0.1, 32), PATIENCE);
        Set<String> before = ids(await("2 tasks RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> api.runningTasks(JOB), t -> t.size() == 2));
        Map<String, ProcessHandle> processes = new HashMap<>();
        before.forEach(id -> processes.put(id, TaskSandboxes.awaitProcess(deployment, id)));
        ReplicaAgreement agreed = ReplicaAgreement.await(deployment, null);
        String frameworkId = agreed.frameworkId();
        int replica = agreed.leaderReplica(deployment);
        MesosMasterState oldState = MesosMasterState.read(deployment, frameworkId).orElseThrow();
        assertThat(oldState.liveTasksByJob().get(JOB)).containsExactlyInAnyOrderElementsOf(before);
        Map<String, String> agentOf = agentsOf(oldState);
        int leading = leadingMaster();
        int standby = 3 - leading;
        long reconciledBefore = logLines(replica, RECONCILED);

        long logMark = logLines(replica, "");
        long killed = System.nanoTime();
        deployment.signal(deployment.localMasterProcess(leading), "KILL");
        await("the leading master's process dies").atMost(PATIENCE)
            .until(() -> deployment.processQuietly(deployment.localMasterProcess(leading)).isEmpty());

        // the standby leads (new master id) and Beehive is subscribed there under the same FrameworkID; one look
        // every 50 ms notes when the standby first answers as leader, and when the framework is subscribed there
        AtomicLong leadsSeen = new AtomicLong();
        MesosMasterState newState = await("the framework re-subscribed at the standby").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> {
                MesosMasterState m = MesosMasterState.read(deployment, frameworkId).orElse(null);
                if (m != null && !m.masterId().equals(oldState.masterId())) {
                    leadsSeen.compareAndSet(0, System.nanoTime());
                }
                return m;
            }, m -> m != null && !m.masterId().equals(oldState.masterId()) && m.frameworkConnected());
        long resubscribedMillis = (System.nanoTime() - killed) / 1_000_000;
        long leadsMillis = (leadsSeen.get() - killed) / 1_000_000;
        assertThat(leadingMaster()).as("the master that leads now").isEqualTo(standby);

        // it lists the same tasks, on the same (re-registered) agents, RUNNING; their processes never stopped
        assertThat(newState.taskStates()).as("the new master's tasks of our framework")
            .isEqualTo(before.stream().collect(Collectors.toMap(id -> id, id -> "TASK_RUNNING")));
        assertThat(agentsOf(newState)).as("task -> agent at the new master").isEqualTo(agentOf);
        assertThat(processes.values()).as("the tasks' processes").allMatch(ProcessHandle::isAlive);
        assertThat(processes).isEqualTo(pidsNow(before));

        // Beehive reconciled after re-subscribing: the answers (from the re-registered agents) keep the tasks
        // RUNNING, and it launched no replacement
        await("Beehive's reconciliation after re-subscribing").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> logLines(replica, RECONCILED) > reconciledBefore);
        assertThat(ids(api.runningTasks(JOB))).as("Beehive's RUNNING tasks after reconciliation").isEqualTo(before);
        assertThat(api.tasks(JOB).orElseThrow()).as("Beehive's task records of the job (no replacement)").hasSize(2);
        System.out.printf("LOCAL-MASTER-FAILOVER master SIGKILL -> Beehive re-subscribed in %d ms (the standby "
                + "answered as leader after %d ms; ZooKeeper session of the local masters 10 s; framework %s, master "
                + "%s -> %s); 2 tasks kept RUNNING, same pids, no replacement%n",
            resubscribedMillis, leadsMillis, frameworkId, oldState.masterId(), newState.masterId());
        // how the leading replica found the new master (its Mesos client's own account)
        try (var lines = Files.lines(deployment.logOf("replica" + replica))) {
            lines.skip(logMark).filter(l -> l.matches("(?i).*(master|subscri|redirect).*")).limit(40)
                .forEach(l -> System.out.println("  replica" + replica + ": " + l));
        }

        // the new master launches: scaled to 3, the third task runs beside the two that survived
        api.scale(JOB, 3);
        Set<String> after = ids(await("3 tasks RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> api.runningTasks(JOB), t -> t.size() == 3));
        assertThat(after).containsAll(before);
        await("the new master runs the 3 tasks").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> new HashSet<>(MesosMasterState.read(deployment, frameworkId).orElseThrow()
                .liveTasksByJob().getOrDefault(JOB, List.of())), after::equals);

        // the killed master, started again by up.sh on its port, joins as a standby redirecting to the leader
        assertThat(deployment.up().exitCode()).as("up.sh restarting the killed master").isZero();
        // up.sh returns once it answers 200 or 307 (before its contender has read the election it knows no leader: 503)
        HttpResponse<String> redirect = deployment.get(deployment.localMaster(leading, "/master/state"));
        assertThat(redirect.statusCode()).as("the restarted master's /master/state").isEqualTo(307);
        assertThat(redirect.headers().firstValue("Location").orElse(""))
            .endsWith(":" + deployment.localMaster(standby, "").getPort() + "/master/state");
        assertThat(leadingMaster()).isEqualTo(standby);
        assertThat(ReplicaAgreement.await(deployment, frameworkId).leaderReplica(deployment))
            .as("the same replica leads: a Mesos fail-over is no reason to change").isEqualTo(replica);
    }

    /** 1 or 2: the local master answering {@code /master/state} itself. */
    private static int leadingMaster() throws Exception {
        for (int m = 1; m <= 2; m++) {
            if (deployment.getJson(deployment.localMaster(m, "/master/state")).isPresent()) {
                return m;
            }
        }
        throw new AssertionError("no local master leads");
    }

    private static Map<String, String> agentsOf(MesosMasterState state) {
        Map<String, String> out = new HashMap<>();
        state.allTasks().forEach((id, t) -> out.put(id, t.path("slave_id").asText()));
        return out;
    }

    private static Map<String, ProcessHandle> pidsNow(Set<String> taskIds) {
        Map<String, ProcessHandle> out = new HashMap<>();
        taskIds.forEach(id -> out.put(id, TaskSandboxes.awaitProcess(deployment, id)));
        return out;
    }

    private static long logLines(int replica, String text) throws java.io.IOException {
        try (var lines = Files.lines(deployment.logOf("replica" + replica))) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static Set<String> ids(List<JsonNode> tasks) {
        return tasks.stream().map(t -> t.get("taskId").asText()).collect(Collectors.toSet());
    }
}
