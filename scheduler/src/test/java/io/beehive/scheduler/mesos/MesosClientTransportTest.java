package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client's transport behaviour over real HTTP against a {@link ScriptedMaster}: what the local cluster cannot
 * be made to do on purpose (307/503 on demand, exact header checks) and fast checks of every stream fault.
 */
class MesosClientTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private ScriptedMaster master(Encoding encoding) throws Exception {
        ScriptedMaster m = new ScriptedMaster(encoding);
        closeables.add(m);
        return m;
    }

    private MesosClientConfig.Builder config(String masters, Encoding encoding) {
        return MesosClientConfig.builder().masters(masters).encoding(encoding)
                .frameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("transport-test")
                        .setFailoverTimeout(3600).build())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private MesosClient start(MesosClientConfig config, RecordingListener listener) {
        MesosClient client = new MesosClient(config, listener);
        closeables.add(client);
        client.start();
        return client;
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void subscribesAndSendsCallsWithTheStreamIdExactContentTypeAndCredentials(Encoding encoding) throws Exception {
        ScriptedMaster m = master(encoding);
        RecordingListener l = new RecordingListener();
        MesosClient client = start(config(m.hostPort(), encoding).credentials("alice", "s3cret").build(), l);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        assertThat(client.frameworkId()).map(id -> id.getValue()).contains("fw-1");
        assertThat(m.stream().subscribe.hasFrameworkId()).isFalse();
        assertThat(m.stream().subscribe.getSubscribe().getFrameworkInfo().getPrincipal()).isEqualTo("alice");

        client.call(SchedulerCalls.decline(List.of(OfferID.newBuilder().setValue("o1").build()), null))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        client.call(SchedulerCalls.reconcile(List.of())).get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(m.calls).extracting(Call::getType).containsExactly(Call.Type.DECLINE, Call.Type.RECONCILE);
        assertThat(m.calls).allSatisfy(c -> assertThat(c.getFrameworkId().getValue()).isEqualTo("fw-1"));
        assertThat(m.calls.get(1).hasReconcile()).isTrue();
        assertThat(m.callContentTypes).containsOnly(encoding.contentType());
        assertThat(m.authorizations).isNotEmpty().containsOnly("Basic "
                + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));

        m.stream().send(Event.newBuilder().setType(Event.Type.RESCIND).setRescind(Event.Rescind.newBuilder()
                .setOfferId(OfferID.newBuilder().setValue("o1"))).build());
        await().atMost(WAIT).until(() -> !l.events.isEmpty());
        assertThat(l.events.get(0).getRescind().getOfferId().getValue()).isEqualTo("o1");
    }

    @Test
    void callsBeforeSubscriptionFailFast() {
        MesosClient client = new MesosClient(config("127.0.0.1:1", Encoding.PROTOBUF).build(), new RecordingListener());
        closeables.add(client);
        assertThatThrownBy(() -> client.call(SchedulerCalls.revive(List.of())).join())
                .hasCauseInstanceOf(MesosCallException.class).hasMessageContaining("not subscribed");
    }

    @Test
    void followsAProtocolRelativeRedirectFromAStandby() throws Exception {
        ScriptedMaster leader = master(Encoding.PROTOBUF);
        ScriptedMaster standby = master(Encoding.PROTOBUF);
        standby.mode(ScriptedMaster.Mode.REDIRECT, leader.uri());
        MesosClient client = start(config(standby.hostPort(), Encoding.PROTOBUF).build(), new RecordingListener());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        assertThat(client.master()).contains(leader.uri());
        assertThat(standby.subscribes.get()).isZero();
        assertThat(leader.subscribes.get()).isEqualTo(1);
    }

    /**
     * A restarted Mesos master answers 307 naming its own address until its dead predecessor's ZooKeeper node
     * expires, then, elected, 503 "Master has not finished recovery" while it reads its registry, then leads. Counted
     * like masters pointing at each other or one without a leader, these answers ran into the growing backoff (a
     * real master's re-subscription waited 4.2 s after "redirected 4 times in a row"). Asked again at a fixed short
     * pace instead: often enough to subscribe soon after it leads, never in a tight loop.
     */
    @ParameterizedTest
    @EnumSource(value = ScriptedMaster.Mode.class, names = {"REDIRECT", "RECOVERING"})
    void aMasterAboutToLeadIsAskedAgainAtAFixedShortPaceUntilItLeads(ScriptedMaster.Mode answer) throws Exception {
        ScriptedMaster restarted = master(Encoding.PROTOBUF);
        restarted.mode(answer, restarted.uri());
        // the default backoff, under which the old client waited 0.25-0.5 s, then 0.5-1 s, 1-2 s ...
        MesosClient client = start(config(restarted.hostPort(), Encoding.PROTOBUF)
                .backoff(Duration.ofMillis(500), Duration.ofSeconds(15)).build(), new RecordingListener());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> restarted.redirects.get() >= 1);
        long firstAnswer = System.nanoTime();
        long pace = MesosClient.SELF_REDIRECT_RETRY.toMillis();
        // 11 more at the fixed pace take about 1.1 s; under the growing backoff they took over 15 s
        await("12 answers of a master about to lead").atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(5))
                .until(() -> restarted.redirects.get() >= 12);
        long elapsedMillis = (System.nanoTime() - firstAnswer) / 1_000_000;
        assertThat(restarted.redirects.get() - 1).as("retries in the %d ms after the first answer: none faster than"
                + " every %d ms", elapsedMillis, pace).isLessThanOrEqualTo((int) (elapsedMillis / pace) + 1);

        long leads = System.nanoTime();
        restarted.mode(ScriptedMaster.Mode.LEADER, null);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        long subscribedMillis = (System.nanoTime() - leads) / 1_000_000;
        assertThat(subscribedMillis).as("from leading to subscribed").isLessThan(pace + 900);
        assertThat(client.master()).contains(restarted.uri());
        assertThat(restarted.subscribes.get()).isEqualTo(1);
    }

    /**
     * The standby of a killed leading master: ZooKeeper names it the leader a moment before its own view of the
     * election catches up, and meanwhile it redirects to its dead predecessor. Found by LocalMasterFailoverIT: the
     * client counted four such answers (in 20 ms) as masters pointing at each other and backed off for 10 s (the
     * backoff had grown against the dead master), re-subscribing 17.7 s after the kill instead of ~8 s.
     */
    @Test
    void aMasterThatZooKeeperNamesLeaderButThatStillRedirectsIsAskedAgainAtTheFixedPace() throws Exception {
        try (org.apache.curator.test.TestingServer zk = new org.apache.curator.test.TestingServer(true);
             org.apache.curator.framework.CuratorFramework curator = org.apache.curator.framework.CuratorFrameworkFactory
                     .newClient(zk.getConnectString(), new org.apache.curator.retry.RetryOneTime(100))) {
            curator.start();
            ScriptedMaster standby = master(Encoding.PROTOBUF);
            int port = standby.uri().getPort();
            curator.create().creatingParentsIfNeeded().forPath("/mesos/json.info_0000000002", ("{\"address\":"
                    + "{\"hostname\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},\"hostname\":"
                    + "\"127.0.0.1\",\"id\":\"standby\",\"ip\":16777343,\"port\":" + port + "}")
                    .getBytes(StandardCharsets.UTF_8));
            // 127.0.0.1:1 refuses connections: the dead master it still believes leads
            standby.mode(ScriptedMaster.Mode.REDIRECT, java.net.URI.create("http://127.0.0.1:1"));
            MesosClient client = start(config("zk://" + zk.getConnectString() + "/mesos", Encoding.PROTOBUF)
                    .backoff(Duration.ofMillis(500), Duration.ofSeconds(15)).build(), new RecordingListener());

            // 12 answers at the fixed pace take about 1.1 s; counted as redirects they ran into the growing backoff
            await("12 redirects from the master ZooKeeper names").atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(5)).until(() -> standby.redirects.get() >= 12);
            standby.mode(ScriptedMaster.Mode.LEADER, null);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> client.state() == ConnectionState.SUBSCRIBED);
            assertThat(client.master()).contains(standby.uri());
            assertThat(standby.subscribes.get()).isEqualTo(1);
        }
    }

    @Test
    void moves_on_from_an_unavailable_master_and_from_a_refused_connection() throws Exception {
        ScriptedMaster unavailable = master(Encoding.PROTOBUF);
        unavailable.mode(ScriptedMaster.Mode.UNAVAILABLE, null);
        ScriptedMaster leader = master(Encoding.PROTOBUF);
        // 127.0.0.1:1 refuses connections.
        MesosClient client = start(config("127.0.0.1:1," + unavailable.hostPort() + "," + leader.hostPort(),
                Encoding.PROTOBUF).build(), new RecordingListener());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        assertThat(client.master()).contains(leader.uri());
    }

    @Test
    void missedHeartbeatsLeadToAReconnectionWithTheSameFrameworkId() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        m.autoHeartbeat(false);
        RecordingListener l = new RecordingListener();
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF)
                .heartbeatIntervalOverride(Duration.ofMillis(100)).heartbeatTimeoutFactor(3).build(), l);
        await().atMost(WAIT).until(() -> m.subscribes.get() >= 2 && client.state() == ConnectionState.SUBSCRIBED);
        assertThat(l.disconnects).isNotEmpty().allSatisfy(r -> assertThat(r).contains("no event for"));
        assertThat(m.stream().subscribe.getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(m.stream().subscribe.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo("fw-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-prefix", "oversized", "undecodable", "truncated-then-reset"})
    void aMalformedStreamDropsTheConnectionAndNothingHalfDecodedGetsThrough(String fault) throws Exception {
        ScriptedMaster m = master(Encoding.JSON);
        RecordingListener l = new RecordingListener();
        MesosClient client = start(config(m.hostPort(), Encoding.JSON).maxRecordSize(4096).build(), l);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        ScriptedMaster.Stream first = m.stream();
        String rescind = "{\"type\":\"RESCIND\",\"rescind\":{\"offer_id\":{\"value\":\"o1\"}}}";
        switch (fault) {
            case "bad-prefix":
                first.raw(("12x\n" + rescind).getBytes(StandardCharsets.UTF_8));
                break;
            case "oversized":
                first.raw(("999999\n" + rescind).getBytes(StandardCharsets.UTF_8));
                break;
            case "undecodable":
                first.raw(("9\n{garbage}").getBytes(StandardCharsets.UTF_8));
                break;
            default:
                first.raw((rescind.length() + "\n" + rescind.substring(0, 20)).getBytes(StandardCharsets.UTF_8));
                first.close();
                break;
        }
        await().atMost(WAIT).until(() -> m.subscribes.get() >= 2 && client.state() == ConnectionState.SUBSCRIBED);
        assertThat(l.events).isEmpty();
        assertThat(l.disconnects).hasSize(1);
        // The new stream works.
        m.stream().send(Event.newBuilder().setType(Event.Type.RESCIND).setRescind(Event.Rescind.newBuilder()
                .setOfferId(OfferID.newBuilder().setValue("o2"))).build());
        await().atMost(WAIT).until(() -> l.events.size() == 1);
        assertThat(l.events.get(0).getRescind().getOfferId().getValue()).isEqualTo("o2");
    }

    @Test
    void aForbiddenCallMeansTheSubscriptionIsGone() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        m.callStatus(403);
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF).build(), new RecordingListener());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        assertThatThrownBy(() -> client.call(SchedulerCalls.kill(TaskID.newBuilder().setValue("t").build(), null)).join())
                .hasCauseInstanceOf(MesosCallException.class);
        await().atMost(WAIT).until(() -> m.subscribes.get() >= 2 && client.state() == ConnectionState.SUBSCRIBED);
    }

    @Test
    void aCallAnsweredByANonLeaderMeansResubscribing() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        m.callStatus(503);
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF).build(), new RecordingListener());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        assertThatThrownBy(() -> client.call(SchedulerCalls.suppress(List.of())).join())
                .hasCauseInstanceOf(MesosCallException.class);
        await().atMost(WAIT).until(() -> m.subscribes.get() >= 2 && client.state() == ConnectionState.SUBSCRIBED);
    }

    @Test
    void failedOverIsTerminalAndNotRetried() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        RecordingListener l = new RecordingListener();
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF).build(), l);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);
        m.stream().send(Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage("Framework failed over")).build());
        assertThat(client.await(WAIT)).contains(ConnectionState.FAILED_OVER);
        assertThat(l.terminations).containsExactly("FAILED_OVER: Framework failed over");
        assertThat(m.subscribes.get()).isEqualTo(1);
    }

    @Test
    void aRemovedFrameworkIsRefusedForGood() throws Exception {
        ScriptedMaster m = master(Encoding.JSON);
        m.refuseNextSubscribe("Framework has been removed");
        RecordingListener l = new RecordingListener();
        MesosClient client = start(config(m.hostPort(), Encoding.JSON).build(), l);
        assertThat(client.await(WAIT)).contains(ConnectionState.FRAMEWORK_REMOVED);
        assertThat(l.terminations).containsExactly("FRAMEWORK_REMOVED: Framework has been removed");
        assertThat(l.subscribed).isEmpty();
        assertThat(m.subscribes.get()).isEqualTo(1);
    }

    @Test
    void anInvalidSubscriptionIsRefusedWithoutRetrying() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        m.refuseNextSubscribe("Role '-bad' is invalid");
        RecordingListener l = new RecordingListener();
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF).build(), l);
        assertThat(client.await(WAIT)).contains(ConnectionState.REFUSED);
        assertThat(l.terminations).containsExactly("REFUSED: Role '-bad' is invalid");
        assertThat(m.subscribes.get()).isEqualTo(1);
    }

    @Test
    void stopNeverTearsDownButTeardownDoes() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        MesosClient first = start(config(m.hostPort(), Encoding.PROTOBUF).build(), new RecordingListener());
        await().atMost(WAIT).until(() -> first.state() == ConnectionState.SUBSCRIBED);
        first.stop();
        assertThat(first.state()).isEqualTo(ConnectionState.STOPPED);
        assertThat(m.calls).isEmpty();

        MesosClient second = start(config(m.hostPort(), Encoding.PROTOBUF).build(), new RecordingListener());
        await().atMost(WAIT).until(() -> second.state() == ConnectionState.SUBSCRIBED);
        second.teardown().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(second.await(WAIT)).contains(ConnectionState.STOPPED);
        assertThat(m.calls).extracting(Call::getType).containsExactly(Call.Type.TEARDOWN);
    }

    @Test
    void acknowledgementsUseExtraConnectionsButNeverReorderCallsAboutOneTaskNorTheOrderedCalls() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF).ackConnections(3).build(),
                new RecordingListener());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);

        int tasks = 30;
        int updatesPerTask = 4;
        List<java.util.concurrent.CompletableFuture<Void>> sent = new ArrayList<>();
        for (int n = 0; n < updatesPerTask; n++) {
            for (int t = 0; t < tasks; t++) {
                Call ack = CallLanesTest.ack("agent-1", "task-" + t, n);
                sent.add(client.call(ack.toBuilder()));
            }
            // An ordered call between the bursts: it must keep its place among the ordered calls.
            sent.add(client.call(SchedulerCalls.reconcile(List.of(Call.Reconcile.Task.newBuilder()
                    .setTaskId(TaskID.newBuilder().setValue("r" + n)).build()))));
        }
        java.util.concurrent.CompletableFuture.allOf(sent.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);

        List<ScriptedMaster.Received> received;
        synchronized (m.received) {
            received = List.copyOf(m.received);
        }
        assertThat(received).hasSize(tasks * updatesPerTask + updatesPerTask);
        java.util.Map<String, List<ScriptedMaster.Received>> byTask = new java.util.HashMap<>();
        List<ScriptedMaster.Received> ordered = new ArrayList<>();
        for (ScriptedMaster.Received r : received) {
            if (r.call().getType() == Call.Type.ACKNOWLEDGE) {
                byTask.computeIfAbsent(r.call().getAcknowledge().getTaskId().getValue(), k -> new ArrayList<>()).add(r);
            } else {
                ordered.add(r);
            }
        }
        assertThat(ordered).extracting(r -> r.call().getReconcile().getTasks(0).getTaskId().getValue())
                .containsExactly("r0", "r1", "r2", "r3");
        assertThat(ordered).extracting(ScriptedMaster.Received::clientPort).containsOnly(ordered.get(0).clientPort());
        java.util.Set<Integer> ackPorts = new java.util.HashSet<>();
        for (List<ScriptedMaster.Received> acks : byTask.values()) {
            assertThat(acks).extracting(r -> r.call().getAcknowledge().getUuid().toStringUtf8())
                    .containsExactly("u0", "u1", "u2", "u3");
            assertThat(acks).extracting(ScriptedMaster.Received::clientPort).containsOnly(acks.get(0).clientPort());
            ackPorts.add(acks.get(0).clientPort());
        }
        assertThat(ackPorts).hasSize(3).doesNotContain(ordered.get(0).clientPort());
    }

    @Test
    void aCallBeyondTheQueueLimitFailsItsFutureInsteadOfVanishing() throws Exception {
        ScriptedMaster m = master(Encoding.PROTOBUF);
        MesosClient client = start(config(m.hostPort(), Encoding.PROTOBUF).maxQueuedCallsPerConnection(4).build(),
                new RecordingListener());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.SUBSCRIBED);

        List<java.util.concurrent.CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add(client.call(SchedulerCalls.reconcile(List.of())));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(java.util.concurrent.CompletableFuture::isDone));
        long failed = sent.stream().filter(java.util.concurrent.CompletableFuture::isCompletedExceptionally).count();
        assertThat(failed).isPositive();
        // Every call either reached the master or failed its future: none vanished.
        assertThat(m.calls).hasSize(500 - (int) failed);
        assertThatThrownBy(() -> sent.stream().filter(java.util.concurrent.CompletableFuture::isCompletedExceptionally)
                .findFirst().orElseThrow().join()).hasCauseInstanceOf(MesosCallException.class);
        assertThat(client.state()).isEqualTo(ConnectionState.SUBSCRIBED);
    }

    /**
     * The standby warm-up's exchange completes against its own loopback listener, for any body size: it throws if
     * the answer does not come within its 2 s timeout or is not a well-formed HTTP response.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 54, 100_000})
    void theWarmUpExchangeCompletesWithoutAMaster(int bodyBytes) throws Exception {
        assertThat(HttpWarmUp.exchange(new byte[bodyBytes], Encoding.PROTOBUF.contentType())).isEqualTo(202);
    }
}
