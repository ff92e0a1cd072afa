package io.beehive.state;

import io.beehive.election.Fence;
import io.beehive.state.record.TaskRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas, real LeaderLatch nodes. The old leader keeps writing the same task record while it is deposed
 * (latch closed, or session expired by the server) and the new leader writes its own version. Whatever the
 * interleaving, the new leader's version must be the one that stays.
 */
class DeposedLeaderRaceTest {
    private static final int ITERATIONS = 30;

    @RegisterExtension
    final ZooKeeperFixture zk = new ZooKeeperFixture();

    @Test
    void aDeposedWriterNeverOverwritesTheNewLeader() throws Exception {
        CuratorFramework[] clients = {zk.client(), zk.client()};
        StateStore[] stores = {zk.store(clients[0]), zk.store(clients[1])};
        TaskRecord base = Records.task(1);
        int notLeaderRefusals = 0;

        for (int i = 0; i < ITERATIONS; i++) {
            int oldIndex = i % 2;
            int newIndex = 1 - oldIndex;
            boolean expireSession = i % 3 == 2;

            LeaderLatch oldLatch = new LeaderLatch(clients[oldIndex], ZooKeeperFixture.LATCH, "old-" + i);
            oldLatch.start();
            assertThat(oldLatch.await(30, TimeUnit.SECONDS)).isTrue();
            LeaderLatch newLatch = new LeaderLatch(clients[newIndex], ZooKeeperFixture.LATCH, "new-" + i);
            newLatch.start();
            Fence oldFence = ZooKeeperFixture.fenceOf(oldLatch.getOurPath());
            if (i == 0) {
                stores[oldIndex].loadAll(oldFence);
            }

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger oldSuccesses = new AtomicInteger();
            AtomicInteger refusedAfterNewWrite = new AtomicInteger();
            AtomicBoolean newLeaderWrote = new AtomicBoolean();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            int iteration = i;
            Thread oldWriter = new Thread(() -> {
                for (int k = 0; !stop.get(); k++) {
                    boolean afterNew = newLeaderWrote.get();
                    try {
                        stores[oldIndex].saveTasks(oldFence, List.of(version(base, "old-" + iteration + "-" + k)))
                                .get(30, TimeUnit.SECONDS);
                        oldSuccesses.incrementAndGet();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof NotLeaderException) {
                            if (afterNew) {
                                refusedAfterNewWrite.incrementAndGet();
                            }
                        } else if (!(e.getCause() instanceof StateWriteException)) {
                            // a write caught in the session expiry may fail with connection loss: allowed
                            unexpected.set(e.getCause());
                        }
                    } catch (Exception e) {
                        unexpected.set(e);
                    }
                }
            }, "old-writer-" + i);
            oldWriter.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> oldSuccesses.get() > 0);

            if (expireSession) {
                ZooKeeperFixture.expireSession(clients[oldIndex]);
            } else {
                oldLatch.close();
            }
            assertThat(newLatch.await(30, TimeUnit.SECONDS)).isTrue();
            Fence newFence = ZooKeeperFixture.fenceOf(newLatch.getOurPath());
            assertThat(newFence.epoch()).isGreaterThan(oldFence.epoch());
            TaskRecord winner = version(base, "new-" + i);
            stores[newIndex].saveTasks(newFence, List.of(winner)).get(30, TimeUnit.SECONDS);
            newLeaderWrote.set(true);

            await().atMost(Duration.ofSeconds(30)).until(() -> refusedAfterNewWrite.get() >= 3);
            stop.set(true);
            oldWriter.join(TimeUnit.SECONDS.toMillis(60));

            assertThat(unexpected.get()).isNull();
            assertThat(stores[newIndex].readTask(base.taskId()).get(30, TimeUnit.SECONDS)).contains(winner);
            notLeaderRefusals += refusedAfterNewWrite.get();

            newLatch.close();
            if (expireSession) {
                oldLatch.close();
            }
        }
        assertThat(notLeaderRefusals).isGreaterThanOrEqualTo(3 * ITERATIONS);
    }

    private static TaskRecord version(TaskRecord base, String marker) {
        return new TaskRecord(base.taskId(), base.jobId(), base.instance(), base.agentId(), marker, base.state(),
                base.lastStatus(), base.launchedAtMillis(), base.updatedAtMillis(), base.desiredState(),
                base.killAttempts(), base.attempt(), base.ports());
    }
}
