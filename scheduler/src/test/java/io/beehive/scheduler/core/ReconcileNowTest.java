package io.beehive.scheduler.core;

import io.beehive.scheduler.core.term.NotLeadingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.beehive.scheduler.core.CoreFixture.running;
import static io.beehive.scheduler.core.CoreFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An operator's on-demand reconciliation runs on the leader only, and completes when it has finished. */
class ReconcileNowTest extends CoreClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    ReconcileNowTest() {
        super(1);
    }

    @Test
    void theLeaderReconcilesOnDemandAndAFollowerRefuses() throws Exception {
        BeehiveScheduler a = leadingReplica("a:1");
        BeehiveScheduler b = fx.replica("b:1", CoreFixture.fastConfig().build());
        b.start();
        await().atMost(WAIT).until(() -> b.leader().isPresent());
        a.createJob(service("web", 1, "sleep 300")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> running(a, "web") == 1);

        long reconciliationsBefore = a.metrics().reconciliation.getCount();
        Instant asked = Instant.now();
        Instant finished = a.reconcileNow().get(30, TimeUnit.SECONDS);

        assertThat(finished).isAfterOrEqualTo(asked);
        assertThat(a.lastReconciliation()).contains(finished);
        assertThat(a.metrics().reconciliation.getCount()).isEqualTo(reconciliationsBefore + 1);
        await().atMost(WAIT).until(() -> a.phase() == LifecyclePhase.ACTIVE);
        assertThat(running(a, "web")).isEqualTo(1);

        assertThatThrownBy(() -> b.reconcileNow().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NotLeadingException.class);
    }
}
