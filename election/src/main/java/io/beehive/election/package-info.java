/**
 * Leadership for Beehive replicas.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link io.beehive.election.ZooKeeperClients#create(ZooKeeperSettings)}: the replica's Curator client
 *       (session rules, error policy, digest ACLs), shared with the state module;</li>
 *   <li>{@link io.beehive.election.DigestCredentials}: the digest identity and the ACLs of Beehive's nodes;</li>
 *   <li>{@link io.beehive.election.LeaderElection}: start / abdicate / close, state, fence, current leader;</li>
 *   <li>{@link io.beehive.election.LeadershipListener}: elected(fence), suspended(), resumed(), deposed(reason);</li>
 *   <li>{@link io.beehive.election.Fence}: the latch node every state write checks in its transaction.</li>
 * </ul>
 *
 * <p>ZooKeeper layout under the configured root: {@code /leader} (latch participants, ephemeral sequential,
 * data = participant id), {@code /leader-info} (JSON {@link io.beehive.election.LeaderInfo} of the latest term,
 * written fenced by the leader).
 */
package io.beehive.election;
