package io.beehive.scheduler.app.api;

import io.beehive.state.record.Failover;

import java.time.Instant;

/**
 * One past fail-over in {@code GET /v1/state}'s {@code failovers} (newest first), from the bounded history every
 * new leader extends in ZooKeeper. {@code durationMillis} runs from the election to the new leader being in office.
 */
public record FailoverView(long epoch, String leader, String previousLeader, String electedAt, String inOfficeAt,
                           long durationMillis, String cause) {
    static FailoverView of(Failover f) {
        return new FailoverView(f.epoch(), f.leader(), f.previousLeader(),
                Instant.ofEpochMilli(f.electedAtMillis()).toString(),
                Instant.ofEpochMilli(f.inOfficeAtMillis()).toString(), f.durationMillis(), f.cause());
    }
}
