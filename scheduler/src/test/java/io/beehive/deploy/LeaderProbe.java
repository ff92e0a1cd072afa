package io.beehive.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Finds the leader and notices a new term reaching ACTIVE through cheap endpoints only: {@code /leaderhealth} on each
 * replica's API port and the {@code beehive.failover} timer on its admin {@code /metrics} (one count per term that
 * reached ACTIVE). A fail-over measured by polling the admin state views instead would slow itself down: a view
 * lists every task record (from the replica's state mirror), costly at 100,000 records and competing for the cores
 * with the new leader taking office.
 */
final class LeaderProbe {
    private final LocalDeployment deployment;
    private final Map<Integer, CompletableFuture<Boolean>> inFlight = new HashMap<>();

    LeaderProbe(LocalDeployment deployment) {
        this.deployment = deployment;
    }

    /**
     * The replica (1..3) whose {@code /leaderhealth} answers 200 now. All are asked at once, as a load balancer's
     * checks are independent: asked in turn, a replica in a long GC pause or still stopping held up the answer of the
     * one that leads (a new leader in office 1.5 s before a loaded machine's probe noticed). The first 200 is the
     * answer.
     */
    Optional<Integer> leader() {
        CompletableFuture<Optional<Integer>> first = new CompletableFuture<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (int i = 1; i <= LocalDeployment.REPLICAS; i++) {
            int replica = i;
            answers.add(leaderHealth(replica).thenAccept(leads -> {
                if (leads) {
                    first.complete(Optional.of(replica));
                }
            }));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> first.complete(Optional.empty()));
        try {
            return first.get();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A replica still answering the last poll is not asked again meanwhile: a stalled one would pile requests up. */
    private synchronized CompletableFuture<Boolean> leaderHealth(int replica) {
        CompletableFuture<Boolean> pending = inFlight.get(replica);
        if (pending == null || pending.isDone()) {
            pending = deployment.getAsync(deployment.replicaApi(replica, "/leaderhealth"), Duration.ofSeconds(5))
                .handle((r, error) -> error == null && r.statusCode() == 200); // not answering: not the leader
            inFlight.put(replica, pending);
        }
        return pending;
    }

    /** Terms in office so far, per replica: take it before the signal, give it to {@link #newTermActive}. */
    Map<Integer, Long> termsInOffice() {
        Map<Integer, Long> terms = new HashMap<>();
        for (int i = 1; i <= LocalDeployment.REPLICAS; i++) {
            terms.put(i, termsInOffice(i));
        }
        return terms;
    }

    /** Present when a replica other than {@code old} leads and has brought one more term to ACTIVE than {@code before}. */
    Optional<Integer> newTermActive(int old, Map<Integer, Long> before) {
        return leader().filter(r -> r != old).filter(r -> termsInOffice(r) > before.getOrDefault(r, 0L));
    }

    private long termsInOffice(int replica) {
        return deployment.getJson(deployment.admin(replica, "/metrics"))
            .map(m -> m.path("timers").path("beehive.failover").path("count").asLong(0)).orElse(0L);
    }
}
