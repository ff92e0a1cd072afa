package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.election.ElectionSettings;
import io.beehive.election.ZooKeeperClients;
import io.beehive.election.ZooKeeperSettings;
import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import io.beehive.state.StateStore;
import io.beehive.state.StateStoreConfig;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.HealthCheckSpec;
import io.beehive.state.record.UpgradeStrategy;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real ZooKeeper (curator-test) and a local Mesos cluster, and replicas built on them the way the application
 * will build them. Each replica has its own Curator client, election and state store.
 */
final class CoreFixture implements AutoCloseable {
    static final String ROOT = "/beehive";
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestingServer zookeeper;
    final LocalCluster cluster;
    final List<FatalError> fatalErrors = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Agents resend unacknowledged updates after 0.5 s (at most 2 s apart), so redelivery tests are quick. */
    CoreFixture(LocalClusterConfig.Builder cluster) throws Exception {
        this(cluster.statusUpdateRetryInitial(Duration.ofMillis(500)).statusUpdateRetryMax(Duration.ofSeconds(2)), true);
    }

    /** The cluster as configured (plus a short allocation interval). */
    CoreFixture(LocalClusterConfig.Builder cluster, boolean unused) throws Exception {
        this.zookeeper = new TestingServer(true);
        this.cluster = LocalCluster.start(cluster.allocationInterval(Duration.ofMillis(200)).build());
    }

    static CoreConfig.Builder fastConfig() {
        return CoreConfig.builder()
                .reconcileBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
                .reconcileMaxDuration(Duration.ofSeconds(15))
                .periodicReconcileInterval(Duration.ofMinutes(30))
                .declineFilter(Duration.ofSeconds(1))
                .idleDeclineFilter(Duration.ofSeconds(5))
                .reviveMinInterval(Duration.ofMillis(100))
                .stagingTimeout(Duration.ofSeconds(3))
                .killRetryInterval(Duration.ofSeconds(2))
                .housekeepingInterval(Duration.ofMillis(200));
    }

    CuratorFramework newClient() {
        CuratorFramework client = ZooKeeperClients.create(ZooKeeperSettings.defaults(zookeeper.getConnectString()));
        client.start();
        closeables.add(0, client);
        return client;
    }

    MesosConnection mesos() {
        URI leader = cluster.leaderUri();
        return MesosConnection.of(leader.getHost() + ":" + leader.getPort());
    }

    BeehiveScheduler replica(String name, CoreConfig config) {
        return replica(name, config, new MetricRegistry());
    }

    BeehiveScheduler replica(String name, CoreConfig config, MetricRegistry metrics) {
        BeehiveScheduler s = new BeehiveScheduler(newClient(), ElectionSettings.of(ROOT, name)
                .withHandOffTimeout(Duration.ofSeconds(5)), StateStoreConfig.withRoot(ROOT), mesos(), config, metrics,
                fatalErrors::add);
        closeables.add(0, s);
        return s;
    }

    /**
     * A lifecycle driven by the test instead of an election: the test plays the election's callbacks, with fences it
     * makes and breaks itself ({@link #fence}), so each transition happens exactly when the test says.
     */
    SchedulerLifecycle lifecycle(CoreConfig config, MetricRegistry metrics) {
        StateStore store = StateStore.open(newClient(), StateStoreConfig.withRoot(ROOT));
        SchedulerLifecycle lifecycle = new SchedulerLifecycle(store, config, mesos(), metrics, fatalErrors::add,
                "test-lifecycle:1");
        closeables.add(0, lifecycle::stop);
        return lifecycle;
    }

    /** A fence whose node the test owns: deleting the node is what a lost leadership looks like to ZooKeeper. */
    io.beehive.election.Fence fence(CuratorFramework client, String name, long epoch) throws Exception {
        String path = "/fences/" + name;
        client.create().creatingParentsIfNeeded().forPath(path);
        return new io.beehive.election.Fence(path, epoch);
    }

    /** A store on its own client, for looking at (and tampering with) ZooKeeper as an operator would. */
    StateStore inspector() {
        StateStore store = StateStore.open(newClient(), StateStoreConfig.withRoot(ROOT));
        closeables.add(0, store);
        return store;
    }

    static JobRecord service(String id, int instances, String command) {
        return job(id, JobKind.SERVICE, instances, command, RestartPolicy.DEFAULT);
    }

    /** A service with a health check (or none), {@code ports} ports and its own upgrade strategy. */
    static JobRecord service(String id, int instances, String command, int ports, HealthCheckSpec check,
                             UpgradeStrategy strategy) {
        long now = System.currentTimeMillis();
        return new JobRecord(id, JobKind.SERVICE, CommandSpec.shell(command), Map.of(),
                new ResourceSpec(0.1, 16, 0, ports), instances, List.of(), RestartPolicy.DEFAULT, 1_000, null, 1, now,
                now, check, strategy, 1, null, null, null);
    }

    static JobRecord job(String id, JobKind kind, int instances, String command, RestartPolicy policy) {
        long now = System.currentTimeMillis();
        return new JobRecord(id, kind, CommandSpec.shell(command), Map.of(), new ResourceSpec(0.1, 16, 0, 0),
                instances, List.of(), policy, 0, null, 1, now, now);
    }

    /** The master's own view (GET /master/state): every task it knows of any framework, with its state. */
    List<MasterTask> masterTasks() throws Exception {
        JsonNode state = masterState();
        List<MasterTask> out = new ArrayList<>();
        for (JsonNode fw : state.get("frameworks")) {
            for (String list : new String[] {"tasks", "unreachable_tasks"}) {
                for (JsonNode t : fw.get(list)) {
                    JsonNode statuses = t.path("statuses");
                    JsonNode last = statuses.size() == 0 ? null : statuses.get(statuses.size() - 1);
                    out.add(new MasterTask(fw.get("id").asText(), t.get("id").asText(), t.get("state").asText(),
                            t.get("slave_id").asText(),
                            last == null || !last.has("healthy") ? null : last.get("healthy").asBoolean(),
                            runningSince(statuses)));
                }
            }
        }
        return out;
    }

    List<String> masterFrameworkIds() throws Exception {
        List<String> ids = new ArrayList<>();
        masterState().get("frameworks").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    JsonNode masterState() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.leaderUri().resolve("/master/state"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    List<MasterTask> liveMasterTasks() throws Exception {
        return masterTasks().stream().filter(MasterTask::live).toList();
    }

    static long running(BeehiveScheduler s, String jobId) {
        return s.tasksOf(jobId).stream().filter(t -> t.state() == io.beehive.state.record.TaskState.TASK_RUNNING)
                .count();
    }

    static List<TaskRecord> runningTasks(BeehiveScheduler s, String jobId) {
        return s.tasksOf(jobId).stream().filter(t -> t.state() == io.beehive.state.record.TaskState.TASK_RUNNING)
                .toList();
    }

    /** When the task's first TASK_RUNNING status was sent, in epoch ms; 0 if it has none. */
    private static long runningSince(JsonNode statuses) {
        for (JsonNode s : statuses) {
            if (s.path("state").asText().equals("TASK_RUNNING")) {
                return (long) (s.path("timestamp").asDouble() * 1000);
            }
        }
        return 0;
    }

    /**
     * @param healthy      what the task's last status said of its health, if it said anything
     * @param runningSince when it began running (epoch ms), 0 if not yet
     */
    record MasterTask(String frameworkId, String taskId, String state, String agentId, Boolean healthy,
                      long runningSince) {
        boolean live() {
            return state.equals("TASK_STAGING") || state.equals("TASK_STARTING") || state.equals("TASK_RUNNING")
                    || state.equals("TASK_KILLING");
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        cluster.close();
        zookeeper.close();
    }
}
