package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two master processes and one agents process ({@link LocalMesosMain} in separate JVMs) against a real ZooKeeper:
 * the leading master is SIGKILLed while a task runs; the standby takes over with the agent registry, the agent
 * re-registers with its running task (same agent id, same task process), and a raw scheduler re-subscribes under
 * its FrameworkID and reconciles the task to TASK_RUNNING. The killed master, restarted on its port, is a standby.
 * Finally the agents process is SIGKILLed and the master notices (missed pings: TASK_UNREACHABLE).
 */
class SeparateProcessesFailoverTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String FRAMEWORK = "{\"user\":\"root\",\"name\":\"procs\",\"failover_timeout\":3600,"
        + "\"checkpoint\":true,\"capabilities\":[{\"type\":\"PARTITION_AWARE\"}]}";

    @TempDir
    Path dir;

    @Test
    void leadingMasterKilledStandbyRecoversAgentsTasksAndFrameworkFromTheRegistry() throws Exception {
        List<LocalMesosProcess> processes = new ArrayList<>();
        long taskPid;
        try (TestingServer zookeeper = new TestingServer(true)) {
            String zk = zookeeper.getConnectString();
            int port1 = freePort();
            int port2 = freePort();
            LocalMesosProcess master1 = start(processes, "master1", master(zk, port1));
            master1.awaitLine("master: ");
            URI uri1 = URI.create("http://127.0.0.1:" + port1);
            URI uri2 = URI.create("http://127.0.0.1:" + port2);
            awaitLeading(uri1);
            start(processes, "master2", master(zk, port2)).awaitLine("master: ");
            LocalMesosProcess agents = start(processes, "agents", "--master", "zk://" + zk + "/mesos", "--agents", "1",
                "--agent-port", "0", "--work-dir", dir.resolve("agents").toString(),
                "--agent-ping-timeout-ms", "500", "--max-agent-ping-timeouts", "4");
            String agentId = agents.awaitLine("agents: ");
            awaitAgentActive(uri1, agentId);

            ZooKeeper client = new ZooKeeper(zk, 30_000, e -> { });
            try {
                // written asynchronously (the master's loop does not wait for ZooKeeper): soon after it registered
                await("the agent in the registry").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.getChildren("/mesos/registry/agents", false), c -> !c.isEmpty());
                assertThat(client.getChildren("/mesos/registry/agents", false)).containsExactly(agentId);
                // the registry sits beside the election; detectors read only json.info_ children
                assertThat(client.getChildren("/mesos", false)).filteredOn(c -> !c.startsWith("json.info_"))
                    .containsExactly("registry");
            } finally {
                client.close();
            }

            String frameworkId;
            try (RawScheduler scheduler = new RawScheduler(uri1)) {
                scheduler.subscribe(FRAMEWORK);
                frameworkId = scheduler.frameworkId;
                JsonNode offer = scheduler.awaitOffer();
                assertThat(offer.path("agent_id").path("value").asText()).isEqualTo(agentId);
                assertThat(scheduler.launch(offer, "sleeper", "sleep 600", 0.1, 32).statusCode()).isEqualTo(202);
                JsonNode running = runningAcknowledged(scheduler, "sleeper");
                taskPid = running.path("update").path("status").path("container_status").path("executor_pid").asLong();
                assertThat(ProcessHandle.of(taskPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

                master1.kill();
            }
            long killedAt = System.nanoTime();

            // the standby leads once the dead master's session expires, recovers the agent from the registry, and the
            // agent re-registers with its task
            JsonNode task = await("the new leader listing the re-registered agent's task").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> taskInState(uri2, "sleeper"), Optional::isPresent)
                .orElseThrow();
            System.out.println("LOCAL-PROCESS-FAILOVER master SIGKILL -> standby lists the re-registered task in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms (ZooKeeper session timeout 10 s)");
            assertThat(task.path("state").asText()).isEqualTo("TASK_RUNNING");
            assertThat(task.path("slave_id").asText()).isEqualTo(agentId);
            awaitAgentActive(uri2, agentId);
            long pid = taskPid;
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            try (RawScheduler scheduler = new RawScheduler(uri2)) {
                JsonNode subscribed = scheduler.subscribe(FRAMEWORK, frameworkId);
                assertThat(subscribed.path("type").asText()).isEqualTo("SUBSCRIBED");
                assertThat(scheduler.frameworkId).isEqualTo(frameworkId);
                // offered by the new master from the re-registered agent (taken now: waiting for an UPDATE skips it)
                JsonNode offer = scheduler.awaitOffer();
                assertThat(offer.path("agent_id").path("value").asText()).isEqualTo(agentId);
                assertThat(scheduler.call("RECONCILE", "reconcile", "{\"tasks\":[{\"task_id\":{\"value\":\"sleeper\"},"
                    + "\"agent_id\":{\"value\":\"" + agentId + "\"}}]}").statusCode()).isEqualTo(202);
                JsonNode reconciled = scheduler.await("UPDATE", e -> e.path("update").path("status")
                    .path("reason").asText().equals("REASON_RECONCILIATION"));
                JsonNode status = reconciled.path("update").path("status");
                assertThat(status.path("task_id").path("value").asText()).isEqualTo("sleeper");
                assertThat(status.path("state").asText()).isEqualTo("TASK_RUNNING");
                assertThat(status.path("container_status").path("executor_pid").asLong()).isEqualTo(pid);

                // the new master launches through the re-registered agent
                scheduler.launch(offer, "second", "sleep 600", 0.1, 32);
                runningAcknowledged(scheduler, "second");

                // the killed master, restarted on its port, joins as a standby that redirects to the new leader
                start(processes, "master1-again", master(zk, port1)).awaitLine("master: ");
                await("the restarted master redirecting").atMost(Duration.ofSeconds(30))
                    .until(() -> redirectOf(uri1), l -> l.contains("//localhost:" + port2 + "/"));

                // an agents process that dies stops pinging: its agent becomes unreachable, its tasks with it
                agents.kill();
                JsonNode unreachable = scheduler.await("UPDATE", e -> e.path("update").path("status").path("state")
                    .asText().equals("TASK_UNREACHABLE"));
                assertThat(unreachable.path("update").path("status").path("agent_id").path("value").asText())
                    .isEqualTo(agentId);
            }
        } finally {
            for (LocalMesosProcess p : processes) {
                p.close();
            }
            killTasksOrphanedIn(dir);
        }
    }

    /**
     * The commonest real fail-over with one master: it dies and is started again on the same address. Until the dead
     * process's ZooKeeper session expires its node still leads, so the restarted master, a standby behind it, answers
     * 307 naming its own address, as a real 1.11 master does (issue 16); then it leads, recovers the agent from the
     * registry, and the agent re-registers with its running task.
     */
    @Test
    void aMasterRestartedOnItsAddressRedirectsToItselfUntilItsPredecessorsSessionEndsThenLeadsWithTheRegistry()
            throws Exception {
        List<LocalMesosProcess> processes = new ArrayList<>();
        try (TestingServer zookeeper = new TestingServer(true)) {
            String zk = zookeeper.getConnectString();
            int port = freePort();
            URI uri = URI.create("http://127.0.0.1:" + port);
            // a session as long as the test server allows (20 ticks): the dead master's node leads that long, which
            // must outlast the restarted JVM's start on a busy machine
            String[] flags = withSessionTimeout(master(zk, port), 20_000);
            LocalMesosProcess master = start(processes, "master", flags);
            master.awaitLine("master: ");
            awaitLeading(uri);
            LocalMesosProcess agents = start(processes, "agents", "--master", "zk://" + zk + "/mesos", "--agents", "1",
                "--agent-port", "0", "--work-dir", dir.resolve("agents").toString(),
                "--agent-ping-timeout-ms", "500", "--max-agent-ping-timeouts", "4");
            String agentId = agents.awaitLine("agents: ");
            awaitAgentActive(uri, agentId);
            long taskPid;
            String frameworkId;
            try (RawScheduler scheduler = new RawScheduler(uri)) {
                scheduler.subscribe(FRAMEWORK);
                frameworkId = scheduler.frameworkId;
                JsonNode offer = scheduler.awaitOffer();
                assertThat(scheduler.launch(offer, "sleeper", "sleep 600", 0.1, 32).statusCode()).isEqualTo(202);
                taskPid = runningAcknowledged(scheduler, "sleeper").path("update").path("status")
                    .path("container_status").path("executor_pid").asLong();
                master.kill();
            }

            start(processes, "master-again", flags).awaitLine("master: ");
            String self = await("the restarted master redirecting").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> redirectOf(uri), l -> !l.isEmpty());
            assertThat(self).as("where the restarted master sends a scheduler while its predecessor's node leads")
                .isEqualTo("//localhost:" + port + "/master/api/v1/scheduler");

            JsonNode task = await("the restarted master leading with the re-registered task").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> taskInState(uri, "sleeper"), Optional::isPresent)
                .orElseThrow();
            assertThat(task.path("state").asText()).isEqualTo("TASK_RUNNING");
            assertThat(task.path("slave_id").asText()).as("the agent id, from the registry").isEqualTo(agentId);
            assertThat(ProcessHandle.of(taskPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            try (RawScheduler scheduler = new RawScheduler(uri)) {
                assertThat(scheduler.subscribe(FRAMEWORK, frameworkId).path("type").asText()).isEqualTo("SUBSCRIBED");
                assertThat(scheduler.call("RECONCILE", "reconcile", "{\"tasks\":[{\"task_id\":{\"value\":\"sleeper\"}}]}")
                    .statusCode()).isEqualTo(202);
                JsonNode status = scheduler.await("UPDATE", e -> e.path("update").path("status").path("reason").asText()
                    .equals("REASON_RECONCILIATION")).path("update").path("status");
                assertThat(status.path("state").asText()).isEqualTo("TASK_RUNNING");
            }
        } finally {
            for (LocalMesosProcess p : processes) {
                p.close();
            }
            killTasksOrphanedIn(dir);
        }
    }

    /** Tasks of a SIGKILLed agents process outlive it, as a real agent's do: found by their sandbox, killed. */
    private static void killTasksOrphanedIn(Path dir) {
        ProcessHandle.allProcesses().filter(p -> {
            try {
                return java.nio.file.Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd"))
                    .startsWith(dir);
            } catch (Exception e) {
                return false;
            }
        }).forEach(ProcessHandle::destroyForcibly);
    }

    private LocalMesosProcess start(List<LocalMesosProcess> processes, String name, String... args) throws Exception {
        LocalMesosProcess p = new LocalMesosProcess(name, dir, args);
        processes.add(p);
        return p;
    }

    private static String[] master(String zk, int port) {
        return new String[] {"--agents", "0", "--zk", zk, "--port", String.valueOf(port),
            "--agent-ping-timeout-ms", "500", "--max-agent-ping-timeouts", "4",
            "--agent-reregister-timeout-ms", "60000"};
    }

    private static String[] withSessionTimeout(String[] flags, long millis) {
        String[] out = java.util.Arrays.copyOf(flags, flags.length + 2);
        out[flags.length] = "--zk-session-timeout-ms";
        out[flags.length + 1] = String.valueOf(millis);
        return out;
    }

    /** Acknowledges every update of {@code taskId} until TASK_RUNNING, which it returns (acknowledged too). */
    private static JsonNode runningAcknowledged(RawScheduler scheduler, String taskId) throws Exception {
        while (true) {
            JsonNode update = scheduler.await("UPDATE", e -> e.path("update").path("status").path("task_id")
                .path("value").asText().equals(taskId));
            assertThat(scheduler.acknowledge(update).statusCode()).isEqualTo(202);
            String state = update.path("update").path("status").path("state").asText();
            if (state.equals("TASK_RUNNING")) {
                return update;
            }
            assertThat(state).isIn("TASK_STAGING", "TASK_STARTING");
        }
    }

    private static void awaitLeading(URI master) {
        await("a leading master at " + master).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> state(master).isPresent());
    }

    private static void awaitAgentActive(URI master, String agentId) {
        await("agent " + agentId + " active at " + master).atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100)).until(() -> state(master).map(s -> {
                for (JsonNode slave : s.path("slaves")) {
                    if (slave.path("id").asText().equals(agentId) && slave.path("active").asBoolean()) {
                        return true;
                    }
                }
                return false;
            }).orElse(false));
    }

    private static Optional<JsonNode> taskInState(URI master, String taskId) {
        return state(master).flatMap(s -> {
            for (JsonNode fw : s.path("frameworks")) {
                for (JsonNode t : fw.path("tasks")) {
                    if (t.path("id").asText().equals(taskId)) {
                        return Optional.of(t);
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** {@code /master/state} of a leading master; empty from a standby or a dead port. */
    private static Optional<JsonNode> state(URI master) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(master.resolve("/master/state"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(RawScheduler.MAPPER.readTree(r.body())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String redirectOf(URI master) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(master.resolve("/api/v1/scheduler"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 307 ? r.headers().firstValue("Location").orElse("") : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
