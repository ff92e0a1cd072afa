package io.beehive.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal agent-master protocol refuses what is not one of its messages with a 4xx that says why, and changes
 * nothing: a master and an agents process (in this JVM) keep working after each refusal. The one-JVM cluster has no
 * such routes.
 */
class AgentProtocolBadInputTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void malformedMessagesAre4xxWithTheReasonAndChangeNothing() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             StandaloneMaster master = new StandaloneMaster(LocalClusterConfig.builder().masterPort(0)
                 .zookeeper(zk.getConnectString(), "/mesos").build(), zk.getConnectString());
             StandaloneAgents agents = new StandaloneAgents(LocalClusterConfig.builder().agents(1).agentBasePort(0)
                 .workDir(dir).zookeeper(zk.getConnectString(), "/mesos").build(), zk.getConnectString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agents.registeredCount() == 1);
            URI m = master.uri();
            String agentId = agents.agentIds().get(0);

            assertThat(post(m, "/internal/agent/register", "not json"))
                .startsWith("400 Malformed agent message: the body is not JSON");
            assertThat(post(m, "/internal/agent/register", "[1]"))
                .isEqualTo("400 Malformed agent message: the body must be a JSON object");
            assertThat(post(m, "/internal/agent/register",
                "{\"agent_id\":\"a\",\"hostname\":\"h\",\"port\":0,\"cpus\":1,\"mem\":1,\"disk\":1}"))
                .isEqualTo("400 Malformed agent message: 'port' must be a port number");
            assertThat(post(m, "/internal/agent/register", "{\"agent_id\":\"a\",\"hostname\":\"h\",\"port\":1,"
                + "\"cpus\":1,\"mem\":1,\"disk\":1,\"tasks\":[{\"framework_id\":\"f\",\"framework_info\":\"%%\"}]}"))
                .startsWith("400 Malformed agent message: 'framework_info' is not base64");
            assertThat(post(m, "/internal/agent/status-update", "{\"agent_id\":\"" + agentId + "\",\"framework_id\":"
                + "\"f\",\"status\":\"AAAA\",\"latest_state\":\"TASK_RUNNING\"}"))
                .startsWith("400 Malformed agent message: 'status' is not a valid protobuf");
            assertThat(post(m, "/internal/agent/latest-state", "{\"agent_id\":\"x\",\"framework_id\":\"f\","
                + "\"task_id\":\"t\",\"latest_state\":\"RUNNING\"}"))
                .isEqualTo("400 Malformed agent message: 'latest_state' is not a task state: RUNNING");
            assertThat(post(m, "/internal/agent/ping", "{\"agent_id\":\"nobody\"}"))
                .startsWith("409 Agent nobody is not registered with master ");
            assertThat(post(m, "/internal/agent/nothing", "{}")).isEqualTo("404 ");
            assertThat(get(m.resolve("/internal/agent/ping"))).isEqualTo(405);

            URI agent = URI.create("http://127.0.0.1:" + agentPort(agents, agentId));
            assertThat(post(agent, "/internal/master-message", "{\"type\":\"REBOOT\"}"))
                .isEqualTo("400 Malformed master message: unknown message type 'REBOOT'");
            assertThat(post(agent, "/internal/master-message", "{\"type\":\"RUN_TASK\",\"framework_id\":\"f\"}"))
                .isEqualTo("400 Malformed master message: 'framework_info' must be a non-empty string");
            assertThat(get(agent.resolve("/internal/master-message"))).isEqualTo(405);

            // nothing was admitted or broken: the one agent is still registered and answers pings
            assertThat(post(m, "/internal/agent/ping", "{\"agent_id\":\"" + agentId + "\"}")).isEqualTo("200 ");
            assertThat(get(m.resolve("/master/state"))).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(m.resolve("/master/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains(agentId).doesNotContain("\"id\":\"a\"");
        }
    }

    @Test
    void theOneJvmClusterHasNoInternalRoutes() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(dir).agents(1).build())) {
            assertThat(post(cluster.leaderUri(), "/internal/agent/ping", "{\"agent_id\":\"x\"}")).isEqualTo("404 ");
            URI agent = cluster.agentUri(cluster.agentIds().get(0));
            assertThat(post(agent, "/internal/master-message", "{\"type\":\"DESTROY_ALL\"}")).isEqualTo("404 ");
        }
    }

    private static int agentPort(StandaloneAgents agents, String agentId) {
        return agents.agentUri(agentId).getPort();
    }

    private static String post(URI base, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static int get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
