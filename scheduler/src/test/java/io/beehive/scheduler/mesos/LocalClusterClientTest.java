package io.beehive.scheduler.mesos;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client against the local Mesos master: real HTTP, real processes, the master's own fault injection. */
class LocalClusterClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private LocalCluster cluster(LocalClusterConfig.Builder builder) {
        return closing(LocalCluster.start(builder.workDir(workDir).agents(1).build()));
    }

    private static MesosClientConfig.Builder config(String masters) {
        return MesosClientConfig.builder().masters(masters)
                .frameworkInfo(FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
                        .setName("client-test").setFailoverTimeout(3600).setCheckpoint(true).build())
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private MesosClient subscribe(MesosClientConfig config, RecordingListener listener) {
        MesosClient client = closing(new MesosClient(config, listener));
        client.start();
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        return client;
    }

    private static Optional<Offer> firstOffer(RecordingListener l) {
        return l.events.stream().filter(e -> e.getType() == Event.Type.OFFERS)
                .flatMap(e -> e.getOffers().getOffersList().stream()).findFirst();
    }

    private static Optional<TaskStatus> lastUpdate(RecordingListener l, String taskId) {
        TaskStatus last = null;
        for (Event e : l.events) {
            if (e.getType() == Event.Type.UPDATE && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)) {
                last = e.getUpdate().getStatus();
            }
        }
        return Optional.ofNullable(last);
    }

    private static TaskInfo task(String id, Offer offer, String command) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
                .setCommand(CommandInfo.newBuilder().setValue(command)).build();
    }

    private static Resource scalar(String name, double v) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v)).build();
    }

    /** Launches {@code command} on the first offer and acknowledges updates until the task reaches {@code state}. */
    private static void launchAndAwait(MesosClient client, RecordingListener l, String taskId, String command,
                                       TaskState state) {
        await().atMost(WAIT).until(() -> firstOffer(l).isPresent());
        Offer offer = firstOffer(l).orElseThrow();
        client.call(SchedulerCalls.launch(List.of(offer.getId()), List.of(task(taskId, offer, command)), null)).join();
        await().atMost(WAIT).until(() -> {
            for (Event e : l.events) {
                TaskStatus s = e.getUpdate().getStatus();
                if (e.getType() == Event.Type.UPDATE && s.hasUuid() && client.state() == ConnectionState.SUBSCRIBED) {
                    client.call(SchedulerCalls.acknowledge(s.getAgentId(), s.getTaskId(), s.getUuid()));
                }
            }
            return lastUpdate(l, taskId).map(s -> s.getState() == state).orElse(false);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROTOBUF", "JSON"})
    void subscribesAndLaunchesARealProcessInBothEncodings(String encoding) throws Exception {
        LocalCluster cluster = cluster(LocalClusterConfig.builder());
        RecordingListener l = new RecordingListener();
        MesosClient client = subscribe(config(hostPort(cluster.leaderUri())).encoding(Encoding.valueOf(encoding)).build(), l);
        launchAndAwait(client, l, "hello-1", "echo hello world", TaskState.TASK_FINISHED);
        Path stdout = cluster.sandbox(client.frameworkId().orElseThrow().getValue(), "hello-1").resolve("stdout");
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).isEqualTo("hello world\n");
    }

    @Test
    void aRestartedClientResubscribesWithTheStoredIdAndItsTaskIsStillRunning() throws Exception {
        LocalCluster cluster = cluster(LocalClusterConfig.builder());
        RecordingListener l1 = new RecordingListener();
        MesosClient first = subscribe(config(hostPort(cluster.leaderUri())).build(), l1);
        launchAndAwait(first, l1, "sleeper", "echo $$ > pid; exec sleep 300", TaskState.TASK_RUNNING);
        FrameworkID id = first.frameworkId().orElseThrow();
        Path pidFile = cluster.sandbox(id.getValue(), "sleeper").resolve("pid");
        await().atMost(WAIT).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        first.stop();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        RecordingListener l2 = new RecordingListener();
        MesosClient second = subscribe(config(hostPort(cluster.leaderUri())).frameworkId(id).build(), l2);
        assertThat(second.frameworkId()).contains(id);
        assertThat(l2.subscribed.get(0).getFrameworkId()).isEqualTo(id);
        second.call(SchedulerCalls.reconcile(List.of(SchedulerCalls.reconcileTask(
                TaskID.newBuilder().setValue("sleeper").build(), null)))).get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> lastUpdate(l2, "sleeper").map(s -> s.getState() == TaskState.TASK_RUNNING)
                .orElse(false));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void aSecondClientWithTheSameIdTakesOverAndTheFirstIsToldItFailedOver() throws Exception {
        LocalCluster cluster = cluster(LocalClusterConfig.builder());
        RecordingListener l1 = new RecordingListener();
        MesosClient first = subscribe(config(hostPort(cluster.leaderUri())).build(), l1);
        FrameworkID id = first.frameworkId().orElseThrow();
        RecordingListener l2 = new RecordingListener();
        MesosClient second = subscribe(config(hostPort(cluster.leaderUri())).frameworkId(id).build(), l2);
        assertThat(first.await(WAIT)).contains(ConnectionState.FAILED_OVER);
        assertThat(l1.terminations).containsExactly("FAILED_OVER: Framework failed over");
        assertThat(second.state()).isEqualTo(ConnectionState.SUBSCRIBED);
        assertThat(second.frameworkId()).contains(id);
    }

    @Test
    void afterTeardownTheFrameworkIdIsRefusedForGoodAndItsTaskIsKilled() throws Exception {
        LocalCluster cluster = cluster(LocalClusterConfig.builder());
        RecordingListener l1 = new RecordingListener();
        MesosClient first = subscribe(config(hostPort(cluster.leaderUri())).build(), l1);
        launchAndAwait(first, l1, "doomed", "echo $$ > pid; exec sleep 300", TaskState.TASK_RUNNING);
        FrameworkID id = first.frameworkId().orElseThrow();
        Path pidFile = cluster.sandbox(id.getValue(), "doomed").resolve("pid");
        await().atMost(WAIT).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        first.teardown().get(30, TimeUnit.SECONDS);
        assertThat(first.await(WAIT)).contains(ConnectionState.STOPPED);
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));

        RecordingListener l2 = new RecordingListener();
        MesosClient second = closing(new MesosClient(config(hostPort(cluster.leaderUri())).frameworkId(id).build(), l2));
        second.start();
        assertThat(second.await(WAIT)).contains(ConnectionState.FRAMEWORK_REMOVED);
        assertThat(l2.terminations).singleElement().asString().contains("Framework has been removed");
        assertThat(l2.subscribed).isEmpty();
    }

    @Test
    void missedHeartbeatsLeadToReconnection() {
        LocalCluster cluster = cluster(LocalClusterConfig.builder().heartbeatInterval(Duration.ofMillis(200)));
        RecordingListener l = new RecordingListener();
        MesosClient client = subscribe(config(hostPort(cluster.leaderUri()))
                .heartbeatIntervalOverride(Duration.ofMillis(200)).heartbeatTimeoutFactor(5).build(), l);
        // Offers would reset the watchdog too; a long-lived unused offer keeps the stream otherwise silent.
        cluster.suspendHeartbeats(true);
        await().atMost(WAIT).until(() -> !l.disconnects.isEmpty());
        assertThat(l.disconnects.get(0)).contains("no event for");
        cluster.suspendHeartbeats(false);
        await().atMost(WAIT).until(() -> l.subscribed.size() >= 2 && client.state() == ConnectionState.SUBSCRIBED);
        assertThat(l.subscribed).extracting(Event.Subscribed::getFrameworkId).containsOnly(l.subscribed.get(0).getFrameworkId());
    }

    @Test
    void aRedirectFromAStandbyMasterIsFollowed() throws Exception {
        TestingServer zk = closing(new TestingServer());
        LocalCluster cluster = cluster(LocalClusterConfig.builder().masterCount(2).zookeeper(zk.getConnectString(), "/mesos"));
        URI standby = cluster.masterUris().get(1);
        MesosClient client = subscribe(config(hostPort(standby)).build(), new RecordingListener());
        assertThat(client.master()).map(URI::getPort).contains(cluster.leaderUri().getPort());
    }

    @Test
    void masterFailoverIsFoundThroughZooKeeper() throws Exception {
        TestingServer zk = closing(new TestingServer());
        LocalCluster cluster = cluster(LocalClusterConfig.builder().masterCount(2).zookeeper(zk.getConnectString(), "/mesos"));
        RecordingListener l = new RecordingListener();
        MesosClient client = subscribe(config("zk://" + zk.getConnectString() + "/mesos").build(), l);
        int oldPort = client.master().orElseThrow().getPort();
        FrameworkID id = client.frameworkId().orElseThrow();
        cluster.failoverMaster();
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED
                && client.master().map(URI::getPort).orElse(oldPort) != oldPort);
        assertThat(client.master()).map(URI::getPort).contains(cluster.leaderUri().getPort());
        assertThat(client.frameworkId()).contains(id);
        assertThat(l.disconnects).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-prefix", "truncated-then-reset", "oversized", "undecodable"})
    void eachMalformedStreamCaseReconnectsWithoutPassingAnythingHalfDecoded(String fault) {
        LocalCluster cluster = cluster(LocalClusterConfig.builder());
        RecordingListener l = new RecordingListener();
        MesosClient client = subscribe(config(hostPort(cluster.leaderUri())).encoding(Encoding.JSON)
                .maxRecordSize(64 * 1024).build(), l);
        String fw = client.frameworkId().orElseThrow().getValue();
        String rescind = "{\"type\":\"RESCIND\",\"rescind\":{\"offer_id\":{\"value\":\"injected\"}}}";
        switch (fault) {
            case "bad-prefix":
                cluster.injectStreamBytes(fw, ("4x\n" + rescind).getBytes(StandardCharsets.UTF_8));
                break;
            case "truncated-then-reset":
                cluster.injectStreamBytes(fw, (rescind.length() + "\n" + rescind.substring(0, 10)).getBytes(StandardCharsets.UTF_8));
                cluster.dropSubscription(fw);
                break;
            case "oversized":
                cluster.injectStreamBytes(fw, ("99999999\n" + rescind).getBytes(StandardCharsets.UTF_8));
                break;
            default:
                // A complete record whose payload is not an event.
                String garbage = "{\"type\":[1}";
                cluster.injectStreamBytes(fw, (garbage.length() + "\n" + garbage).getBytes(StandardCharsets.UTF_8));
                break;
        }
        await().atMost(WAIT).until(() -> !l.disconnects.isEmpty());
        assertThat(l.disconnects.get(0)).contains(fault.equals("truncated-then-reset") ? "stream closed"
                : fault.equals("undecodable") ? "undecodable event" : "malformed stream");
        await().atMost(WAIT).until(() -> l.subscribed.size() >= 2 && client.state() == ConnectionState.SUBSCRIBED);
        assertThat(l.events).noneMatch(e -> e.getType() == Event.Type.RESCIND);
        assertThat(client.frameworkId().orElseThrow().getValue()).isEqualTo(fw);
        // The new stream carries real events again.
        int before = l.events.size();
        client.call(SchedulerCalls.revive(List.of())).join();
        await().atMost(WAIT).until(() -> l.events.size() > before || firstOffer(l).isPresent());
    }
}
