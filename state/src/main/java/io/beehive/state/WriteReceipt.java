package io.beehive.state;

/**
 * What a completed write did.
 *
 * @param mutations    changes requested (after collapsing repeated paths in one batch)
 * @param transactions fenced ZooKeeper transactions used; more than one when the batch was split by size
 */
public record WriteReceipt(int mutations, int transactions) {
}
