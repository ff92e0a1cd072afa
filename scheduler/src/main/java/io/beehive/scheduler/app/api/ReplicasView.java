package io.beehive.scheduler.app.api;

import java.util.List;

/** {@code GET /v1/replicas}: who leads (null during an election) and every replica in the election. */
public record ReplicasView(String leader, List<ReplicaView> replicas) {
}
