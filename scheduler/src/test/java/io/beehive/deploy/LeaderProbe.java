package io.beehive.deploy;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the leader and notices a new term reaching ACTIVE through cheap endpoints only: {@code /leaderhealth} on each
 * replica's API port and the {@code beehive.failover} timer on its admin {@code /metrics} (one count per term that
 * reached ACTIVE). A fail-over measured by polling the admin state views instead would slow itself down: the view
 * of a replica that is not ACTIVE reads every task record from ZooKeeper, competing with the new leader's load.
 */
final class LeaderProbe {
    private final LocalDeployment deployment;

    LeaderProbe(LocalDeployment deployment) {
        this.deployment = deployment;
    }

    /** The replica (1..3) whose {@code /leaderhealth} answers 200 now. */
    Optional<Integer> leader() {
        for (int i = 1; i <= LocalDeployment.REPLICAS; i++) {
            try {
                if (deployment.get(deployment.replicaApi(i, "/leaderhealth")).statusCode() == 200) {
                    return Optional.of(i);
                }
            } catch (IOException e) {
                // not answering: not the leader
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
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
