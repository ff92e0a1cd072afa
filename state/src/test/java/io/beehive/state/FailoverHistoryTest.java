package io.beehive.state;

import io.beehive.state.record.Failover;
import io.beehive.state.record.FailoverHistory;
import io.beehive.state.record.TermStatus;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverHistoryTest extends LeaderTestBase {
    @Test
    void everyReplicaReadsTheSameHistoryNewestFirstAndItStaysBounded() throws Exception {
        assertThat(store.readFailoverHistory().get(30, TimeUnit.SECONDS)).isEqualTo(FailoverHistory.EMPTY);
        FailoverHistory history = FailoverHistory.EMPTY;
        TermStatus previous = null;
        for (long epoch : LongStream.rangeClosed(1, FailoverHistory.MAX_ENTRIES + 5).toArray()) {
            TermStatus now = TermStatus.elected("10.0.0." + (epoch % 3) + ":8080", epoch, 1_700_000_000_000L + epoch);
            history = history.with(Failover.of(now, previous, now.electedAtMillis() + 300, 300));
            store.write(fence, store.batch().putFailoverHistory(history)).get(30, TimeUnit.SECONDS);
            previous = now;
        }

        CuratorFramework other = zk.client();
        FailoverHistory seen = zk.store(other).readFailoverHistory().get(30, TimeUnit.SECONDS);
        assertThat(seen).isEqualTo(history);
        assertThat(seen.entries()).hasSize(FailoverHistory.MAX_ENTRIES);
        assertThat(seen.entries().get(0).epoch()).isEqualTo(FailoverHistory.MAX_ENTRIES + 5);
        assertThat(seen.entries().get(FailoverHistory.MAX_ENTRIES - 1).epoch()).isEqualTo(6);
        assertThat(seen.entries().get(0).previousLeader()).isEqualTo("10.0.0.0:8080"); // epoch 24 % 3
        assertThat(seen.entries().get(0).cause()).isEqualTo(Failover.LEADER_CHANGED);
    }

    @Test
    void aTermRecordsItselfOnceAndTheFirstLeaderSaysSo() {
        TermStatus first = TermStatus.elected("a:1", 7, 1_000);
        FailoverHistory history = FailoverHistory.EMPTY.with(Failover.of(first, null, 1_400, 400));
        assertThat(history.entries().get(0).cause()).isEqualTo(Failover.FIRST_LEADER);
        assertThat(history.with(Failover.of(first, null, 1_500, 500)).entries())
                .extracting(Failover::durationMillis).containsExactly(500L);
        TermStatus again = TermStatus.elected("a:1", 9, 2_000);
        assertThat(history.with(Failover.of(again, first, 2_100, 100)).entries().get(0).cause())
                .isEqualTo(Failover.RE_ELECTED);
    }

    @Test
    void aDeposedLeaderCannotAddToTheHistory() throws Exception {
        FailoverHistory mine = FailoverHistory.EMPTY.with(
                Failover.of(TermStatus.elected("a:1", fence.epoch(), 1_000), null, 1_200, 200));
        store.write(fence, store.batch().putFailoverHistory(mine)).get(30, TimeUnit.SECONDS);

        client.delete().forPath(fence.latchPath());
        FailoverHistory late = mine.with(
                Failover.of(TermStatus.elected("a:1", fence.epoch() + 1, 2_000), null, 2_200, 200));
        assertThat(store.write(fence, store.batch().putFailoverHistory(late))).failsWithin(30, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(NotLeaderException.class);
        assertThat(zk.store(zk.client()).readFailoverHistory().get(30, TimeUnit.SECONDS)).isEqualTo(mine);
    }
}
