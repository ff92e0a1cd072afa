package io.beehive.scheduler.core.term;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationTest {

    private static Map<String, String> tasks(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("t" + i, "agent");
        }
        return m;
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        Reconciliation r = new Reconciliation(tasks(1), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofMinutes(1), 0);
        assertThat(r.takeBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.takeBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.takeBackoff()).isEqualTo(Duration.ofSeconds(4));
        assertThat(r.takeBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(r.takeBackoff()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void roundsAskOnlyForUnansweredTasksInBatches() {
        Reconciliation r = new Reconciliation(tasks(5), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofMinutes(1), 0);
        assertThat(r.nextRound(2)).extracting(java.util.List::size).containsExactly(2, 2, 1);
        r.answered("t0");
        r.answered("t3");
        var round = r.nextRound(10);
        assertThat(round).hasSize(1);
        assertThat(round.get(0)).extracting(t -> t.getTaskId().getValue()).containsExactly("t1", "t2", "t4");
        assertThat(round.get(0).get(0).getAgentId().getValue()).isEqualTo("agent");
        assertThat(r.rounds()).isEqualTo(2);
        r.answered("t1");
        r.answered("t2");
        r.answered("t4");
        assertThat(r.complete()).isTrue();
    }

    @Test
    void expiresAfterTheMaximumDurationEvenWithTasksUnanswered() {
        long start = 1_000_000_000L;
        Reconciliation r = new Reconciliation(tasks(3), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10), start);
        assertThat(r.expired(start + Duration.ofSeconds(9).toNanos())).isFalse();
        assertThat(r.expired(start + Duration.ofSeconds(10).toNanos())).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(r.unansweredCount()).isEqualTo(3);
    }
}
