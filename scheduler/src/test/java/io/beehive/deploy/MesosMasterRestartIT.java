package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code restart.sh mesos} under a running deployment. The local Mesos cluster is one JVM (master and agents) with an
 * in-memory registry, so a restart is a new master with new agents that knows neither the framework nor its tasks,
 * and the old task processes are gone (deploy/README.md). What must hold: the leader finds the new master through
 * ZooKeeper and re-subscribes with the same FrameworkID (invariant 2), keeps every task record it had (the old tasks
 * are reconciled to a terminal state and stay in its history), and brings the job back to its goal on the new agents.
 */
class MesosMasterRestartIT {
    private static final String SESSION_TIMEOUT = "4s";
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String JOB = "survivor";

    private static LocalDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = Deployments.startFromJar(Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", SESSION_TIMEOUT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void theLeaderResubscribesToARestartedMasterWithTheSameFrameworkIdAndKeepsItsTasks() throws Exception {
        BeehiveApi api = new BeehiveApi(deployment);
        api.createJob(BeehiveApi.serviceJob(JOB, 2, TaskSandboxes.PID_AND_SLEEP, 0.1, 32), PATIENCE);
        List<String> before = ids(await("2 tasks RUNNING").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> api.runningTasks(JOB), t -> t.size() == 2));
        List<ProcessHandle> oldProcesses = before.stream().map(id -> TaskSandboxes.awaitProcess(deployment, id)).toList();
        ReplicaAgreement agreed = ReplicaAgreement.await(deployment, null);
        MesosMasterState oldMaster = MesosMasterState.read(deployment, agreed.frameworkId()).orElseThrow();
        assertThat(oldMaster.liveTasksByJob().get(JOB)).containsExactlyInAnyOrderElementsOf(before);
        long replicaPid = deployment.process("replica" + agreed.leaderReplica(deployment)).orElseThrow().pid();

        long restartAt = System.nanoTime();
        assertThat(deployment.restart("mesos").exitCode()).as("restart.sh mesos").isZero();
        assertThat(oldProcesses).as("old task processes after the local cluster restarted").noneMatch(ProcessHandle::isAlive);

        // the new master (new id) has our framework, subscribed under the same id, connected
        MesosMasterState newMaster = await("the framework re-subscribed at the new master").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> MesosMasterState.read(deployment, agreed.frameworkId()).orElse(null),
                m -> m != null && !m.masterId().equals(oldMaster.masterId()) && m.frameworkConnected());
        System.out.printf("re-subscribed to master %s %d ms after restart.sh began%n", newMaster.masterId(),
            (System.nanoTime() - restartAt) / 1_000_000);

        // the job is back at its goal with new tasks, and the master runs exactly those
        List<String> after = ids(await("the job back at 2 RUNNING on the new agents").atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> api.runningTasks(JOB), t -> t.size() == 2 && ids(t).stream().noneMatch(before::contains)));
        await("the new master runs exactly the new tasks").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
            .until(() -> new HashSet<>(MesosMasterState.read(deployment, agreed.frameworkId()).orElseThrow()
                .liveTasksByJob().getOrDefault(JOB, List.of())), new HashSet<>(after)::equals);

        // the old tasks are still known, in a terminal state: no record was lost
        Set<String> terminal = Set.of("TASK_LOST", "TASK_GONE", "TASK_FAILED", "TASK_KILLED", "TASK_UNKNOWN",
            "TASK_DROPPED", "TASK_UNREACHABLE", "TASK_GONE_BY_OPERATOR");
        for (String id : before) {
            JsonNode record = api.task(id).orElseThrow(() -> new AssertionError("task record " + id + " lost"));
            System.out.println("old task " + id + ": " + record.path("state").asText());
            assertThat(record.path("state").asText()).as("old task " + id).isIn(terminal);
        }

        ReplicaAgreement again = ReplicaAgreement.await(deployment, agreed.frameworkId());
        assertThat(again.leader()).as("the same replica leads: a Mesos restart is no reason to change").isEqualTo(agreed.leader());
        assertThat(deployment.process("replica" + again.leaderReplica(deployment)).orElseThrow().pid()).isEqualTo(replicaPid);
    }

    private static List<String> ids(List<JsonNode> tasks) {
        return tasks.stream().map(t -> t.get("taskId").asText()).toList();
    }
}
