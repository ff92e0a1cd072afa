package io.beehive.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.local.LocalClusterConfig;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.Offer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agents a framework can talk to, as on a real single-machine cluster (trace 11): the default agent advertises
 * {@code localhost}, and what a framework fetches from {@code hostname:port} answers, {@code /monitor/statistics}
 * included.
 */
class AgentEndpointsConformanceTest extends ClusterPerClass {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return fast.agents(1); // the default agent, not the trace-shaped one the other classes use
    }

    @Test
    void offersNameAResolvableHostWhoseAgentPortServesStateAndStatistics() throws Exception {
        try (RawScheduler fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("monitored").build())) {
            Offer offer = fw.heldOffer();
            assertThat(offer.getHostname()).isEqualTo("localhost");
            assertThat(InetAddress.getByName(offer.getHostname()).isLoopbackAddress()).isTrue();
            URI agent = URI.create("http://" + offer.getHostname() + ":" + offer.getUrl().getAddress().getPort());

            long pid = launchSleeper(fw, "watched");
            HttpMessage state = HttpWire.exchange(agent, "GET", "/slave(1)/state", Map.of(), null);
            assertThat(state.status()).as("%s", state).isEqualTo(200);
            assertThat(JSON.readTree(state.body()).path("hostname").asText()).isEqualTo("localhost");

            HttpMessage r = HttpWire.exchange(agent, "GET", "/monitor/statistics", Map.of(), null);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.header("Content-Type")).contains("application/json");
            JsonNode entries = JSON.readTree(r.body());
            assertThat(entries.isArray()).isTrue();
            assertThat(entries).hasSize(1);
            JsonNode entry = entries.get(0);
            assertThat(keys(entry)).containsExactly("executor_id", "executor_name", "framework_id", "source",
                    "statistics");
            assertThat(entry.path("executor_id").asText()).isEqualTo("watched");
            assertThat(entry.path("source").asText()).isEqualTo("watched");
            assertThat(entry.path("framework_id").asText()).isEqualTo(fw.frameworkId);
            assertThat(entry.path("executor_name").asText()).startsWith("Command Executor (Task: watched) ");
            JsonNode statistics = entry.path("statistics");
            assertThat(keys(statistics)).isSorted().contains("cpus_soft_limit", "cpus_system_time_secs",
                    "cpus_user_time_secs", "mem_limit_bytes", "mem_rss_bytes", "timestamp");
            // the task's 0.1 cpus and 32 MB plus the command executor's own 0.1 cpus and 32 MB
            assertThat(statistics.path("cpus_soft_limit").asDouble()).isEqualTo(0.2);
            assertThat(statistics.path("mem_limit_bytes").asLong()).isEqualTo(64L * 1024 * 1024);
            assertThat(statistics.path("mem_rss_bytes").asLong()).as("sleep %s is resident", pid).isPositive();

            fw.call(Calls.kill(fw.frameworkId, "watched", null));
            fw.awaitAndAck("watched", org.apache.mesos.v1.Protos.TaskState.TASK_KILLED);
            assertThat(JSON.readTree(HttpWire.exchange(agent, "GET", "/monitor/statistics", Map.of(), null).body()))
                    .as("a finished executor has no statistics").isEmpty();
            fw.call(Calls.teardown(fw.frameworkId));
        }
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
