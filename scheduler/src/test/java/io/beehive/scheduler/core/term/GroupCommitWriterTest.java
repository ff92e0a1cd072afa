package io.beehive.scheduler.core.term;

import static org.assertj.core.api.Assertions.assertThat;

import io.beehive.election.Fence;
import io.beehive.state.NotLeaderException;
import io.beehive.state.StateStore;
import io.beehive.state.StateStoreConfig;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.RestartPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The term's write stream against a real ZooKeeper, where a lost fence meets writes queued behind it. */
class GroupCommitWriterTest {
    private TestingServer server;
    private CuratorFramework client;
    private StateStore store;
    private ExecutorService loop;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer();
        client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        client.start();
        store = StateStore.open(client, StateStoreConfig.withRoot("/beehive"));
        loop = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        loop.shutdownNow();
        store.close();
        client.close();
        server.close();
    }

    @Test
    void writesQueuedBehindAFencedOutWriteFailToo_andLaterOnesFailAtOnce() throws Exception {
        String latch = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath("/beehive/leader/latch-");
        Fence fence = new Fence(latch, 1);
        store.loadAll(fence);
        AtomicInteger fenceLost = new AtomicInteger();
        GroupCommitWriter writer = new GroupCommitWriter(store, fence, loop, fenceLost::incrementAndGet);
        client.delete().forPath(latch);

        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> queuedBehind = new CompletableFuture<>();
        // Both on the loop in one go: the first goes in flight, the second waits behind it.
        loop.execute(() -> {
            writer.submit(b -> b.putJob(job("a")), outcome(first));
            writer.submit(b -> b.putJob(job("b")), outcome(queuedBehind));
        });

        assertThat(first).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withCauseInstanceOf(NotLeaderException.class);
        assertThat(queuedBehind).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withCauseInstanceOf(NotLeaderException.class);

        CompletableFuture<Void> later = new CompletableFuture<>();
        loop.execute(() -> writer.submit(b -> b.putJob(job("c")), outcome(later)));
        assertThat(later).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withCauseInstanceOf(NotLeaderException.class);
        assertThat(fenceLost).hasValue(1);
        assertThat(client.checkExists().forPath("/beehive/jobs/a")).isNull();
        assertThat(client.checkExists().forPath("/beehive/jobs/b")).isNull();
    }

    private static GroupCommitWriter.Outcome outcome(CompletableFuture<Void> future) {
        return new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                future.complete(null);
            }

            @Override
            public void failed(Throwable error) {
                future.completeExceptionally(error);
            }
        };
    }

    private static JobRecord job(String id) {
        long now = System.currentTimeMillis();
        return new JobRecord(id, JobKind.SERVICE, CommandSpec.shell("sleep 1"), Map.of(), new ResourceSpec(0.1, 16, 0, 0),
                1, List.of(), RestartPolicy.DEFAULT, 0, null, 1, now, now);
    }
}
