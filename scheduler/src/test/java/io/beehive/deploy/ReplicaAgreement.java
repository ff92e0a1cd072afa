package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;


/**
 * The check run after every step of every deploy test: all three replicas answer their admin state view
 * ({@code /beehive}), name the same leader and the same FrameworkID, the named leader says it leads (phase
 * ACTIVE) and every other replica says it follows.
 *
 * @param leader      the leader's advertised address, as the views name it
 * @param frameworkId the FrameworkID all views carry
 */
record ReplicaAgreement(String leader, String frameworkId) {
    static final Duration PATIENCE = Duration.ofSeconds(90);

    /** Waits (up to {@link #PATIENCE}) for agreement; {@code expectedFrameworkId} may be null before it is known. */
    static ReplicaAgreement await(LocalDeployment deployment, String expectedFrameworkId) {
        return org.awaitility.Awaitility.await("all three replicas agree on leader and FrameworkID "
                + (expectedFrameworkId == null ? "" : expectedFrameworkId))
            // not faster: a follower's view reads every task record from ZooKeeper
            .atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
            .until(() -> check(deployment, expectedFrameworkId), Optional::isPresent).orElseThrow();
    }

    /** Present when the replicas agree now; see the class comment. */
    static Optional<ReplicaAgreement> check(LocalDeployment deployment, String expectedFrameworkId) {
        List<JsonNode> views = new ArrayList<>();
        for (int i = 1; i <= LocalDeployment.REPLICAS; i++) {
            Optional<JsonNode> view = deployment.getJson(deployment.admin(i, "/beehive"));
            if (view.isEmpty()) {
                return Optional.empty();
            }
            views.add(view.get());
        }
        String leader = views.get(0).path("leader").asText(null);
        String fw = views.get(0).path("frameworkId").asText(null);
        if (leader == null || fw == null || (expectedFrameworkId != null && !expectedFrameworkId.equals(fw))) {
            return Optional.empty();
        }
        int leaders = 0;
        for (JsonNode v : views) {
            boolean isLeader = leader.equals(v.path("self").asText());
            leaders += isLeader ? 1 : 0;
            if (!leader.equals(v.path("leader").asText(null)) || !fw.equals(v.path("frameworkId").asText(null))
                || !v.path("role").asText().equals(isLeader ? "leader" : "follower")
                || (isLeader && !"ACTIVE".equals(v.path("phase").asText()))) {
                return Optional.empty();
            }
        }
        return leaders == 1 ? Optional.of(new ReplicaAgreement(leader, fw)) : Optional.empty();
    }

    /** The replica number (1..3) of the leader. */
    int leaderReplica(LocalDeployment deployment) {
        return deployment.replicaOf(leader);
    }

}
