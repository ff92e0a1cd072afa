package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command tasks as real processes: output in the sandbox, exit status to task state, KILL of the process tree. */
class CommandTaskTest {

    @TempDir
    Path workDir;
    LocalCluster cluster;
    RawScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(1)
            .heartbeatInterval(Duration.ofSeconds(1)).build());
        scheduler = new RawScheduler(cluster.leaderUri());
    }

    @AfterEach
    void stop() {
        scheduler.close();
        cluster.close();
    }

    @Test
    void helloWorldWritesToTheSandboxStdoutAndFinishes() throws Exception {
        scheduler.subscribe("{\"user\":\"root\",\"name\":\"hello\"}");
        JsonNode offer = scheduler.awaitOffer();
        assertThat(scheduler.launch(offer, "hello-1", "echo hello world", 0.1, 32).statusCode()).isEqualTo(202);

        JsonNode starting = scheduler.awaitUpdate("hello-1", "TASK_STARTING");
        assertThat(starting.path("update").path("status").path("source").asText()).isEqualTo("SOURCE_EXECUTOR");
        assertThat(starting.path("update").path("status").path("uuid").asText()).isNotEmpty();
        assertThat(starting.path("update").path("status").path("executor_id").path("value").asText()).isEqualTo("hello-1");
        scheduler.acknowledge(starting);
        scheduler.acknowledge(scheduler.awaitUpdate("hello-1", "TASK_RUNNING"));
        JsonNode finished = scheduler.awaitUpdate("hello-1", "TASK_FINISHED");
        assertThat(finished.path("update").path("status").path("message").asText()).isEqualTo("Command exited with status 0");
        scheduler.acknowledge(finished);

        Path stdout = cluster.sandbox(scheduler.frameworkId, "hello-1").resolve("stdout");
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).isEqualTo("hello world\n");
        assertThat(stdout.toString()).contains("/agents/" + cluster.agentIds().get(0) + "/frameworks/"
            + scheduler.frameworkId + "/executors/hello-1/runs/latest/");
    }

    @Test
    void nonZeroExitFails() throws Exception {
        scheduler.subscribe("{\"user\":\"root\",\"name\":\"fail\"}");
        JsonNode offer = scheduler.awaitOffer();
        scheduler.launch(offer, "fail-1", "exit 3", 0.1, 32);
        scheduler.acknowledge(scheduler.awaitUpdate("fail-1", "TASK_STARTING"));
        scheduler.acknowledge(scheduler.awaitUpdate("fail-1", "TASK_RUNNING"));
        JsonNode failed = scheduler.awaitUpdate("fail-1", "TASK_FAILED");
        assertThat(failed.path("update").path("status").path("message").asText()).isEqualTo("Command exited with status 3");
    }

    @Test
    void killEndsASleepTaskKilledAndTheProcessIsGone() throws Exception {
        scheduler.subscribe("{\"user\":\"root\",\"name\":\"kill\",\"capabilities\":[{\"type\":\"TASK_KILLING_STATE\"}]}");
        JsonNode offer = scheduler.awaitOffer();
        scheduler.launch(offer, "sleep-1", "echo $$ > pid; sleep 300", 0.1, 32);
        JsonNode starting = scheduler.awaitUpdate("sleep-1", "TASK_STARTING");
        scheduler.acknowledge(starting);
        scheduler.acknowledge(scheduler.awaitUpdate("sleep-1", "TASK_RUNNING"));
        Path pidFile = cluster.sandbox(scheduler.frameworkId, "sleep-1").resolve("pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        assertThat(scheduler.call("KILL", "kill", "{\"task_id\":{\"value\":\"sleep-1\"}}").statusCode()).isEqualTo(202);
        scheduler.acknowledge(scheduler.awaitUpdate("sleep-1", "TASK_KILLING"));
        JsonNode killed = scheduler.awaitUpdate("sleep-1", "TASK_KILLED");
        assertThat(killed.path("update").path("status").path("uuid").asText()).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        Optional<ProcessHandle> gone = ProcessHandle.of(pid);
        assertThat(gone.map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
