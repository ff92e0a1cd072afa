package io.beehive.scheduler.app.api;

/**
 * One replica in {@code GET /v1/replicas} and {@code GET /v1/state}.
 *
 * @param address the advertised API address ({@code host:port}), as it takes part in the election
 * @param url     its API's URL, for operators (the address other replicas forward writes to)
 * @param role    {@code leader} or {@code follower}
 * @param self    whether it is the replica that answered
 */
public record ReplicaView(String address, String url, String role, boolean self) {
}
