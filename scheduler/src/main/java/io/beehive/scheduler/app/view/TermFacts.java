package io.beehive.scheduler.app.view;

import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.core.BeehiveScheduler;
import io.beehive.state.record.TermStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the state views say about the current leadership term: when it began (the last fail-over), how long the
 * fail-over took, when Mesos was last reconciled, and the FrameworkID.
 *
 * <p>Where it comes from, in order: the {@link TermStatus} the leader published in ZooKeeper (so every replica
 * shows the same values; on the leader, a field not published yet comes from its memory); on the leader itself,
 * while it has not published its term yet, its own memory; else nothing, or, on a follower during an election,
 * the previous term's record (its epoch says which term it is).
 *
 * @param source {@code zookeeper}, {@code leader-memory} or {@code none}
 */
public record TermFacts(Long epoch, String electedAt, String subscribedAt, Long failoverMillis,
                        String lastReconciliation, String frameworkId, String source) {

    public static final String FROM_ZOOKEEPER = "zookeeper";
    public static final String FROM_LEADER_MEMORY = "leader-memory";
    public static final String NONE = "none";

    static TermFacts none() {
        return new TermFacts(null, null, null, null, null, null, NONE);
    }

    /**
     * @param published the record in ZooKeeper, if any
     * @param leader    the current leader per the election, if any
     * @param self      this replica's scheduler
     */
    public static TermFacts of(Optional<TermStatus> published, Optional<LeaderInfo> leader, BeehiveScheduler self) {
        Optional<Long> currentEpoch = leader.map(LeaderInfo::epoch);
        boolean current = published.isPresent() && currentEpoch.map(e -> e == published.get().epoch()).orElse(false);
        boolean leads = self.isLeader() && leader.isPresent();
        if (current && leads) {
            return fromRecord(published.get()).filledFrom(memory(leader.get(), self));
        }
        if (current || (published.isPresent() && !self.isLeader())) {
            return fromRecord(published.get());
        }
        if (leads) {
            return memory(leader.get(), self);
        }
        return none();
    }

    private static TermFacts memory(LeaderInfo leader, BeehiveScheduler self) {
        return new TermFacts(leader.epoch(), leader.since().toString(), null,
                self.lastFailoverDuration().map(Duration::toMillis).orElse(null),
                self.lastReconciliation().map(Instant::toString).orElse(null),
                self.frameworkId().orElse(null), FROM_LEADER_MEMORY);
    }

    /**
     * The leader never shows less than it knows: a field its published record does not have yet (the "in office"
     * publication is a moment behind the phase change) comes from its memory. Followers show it once published.
     */
    private TermFacts filledFrom(TermFacts memory) {
        return new TermFacts(epoch, electedAt, subscribedAt,
                failoverMillis != null ? failoverMillis : memory.failoverMillis,
                lastReconciliation != null ? lastReconciliation : memory.lastReconciliation,
                frameworkId != null ? frameworkId : memory.frameworkId, source);
    }

    private static TermFacts fromRecord(TermStatus s) {
        return new TermFacts(s.epoch(), instant(s.electedAtMillis()), instant(s.subscribedAtMillis()),
                s.failoverMillis(), instant(s.lastReconciliationAtMillis()), s.frameworkId(), FROM_ZOOKEEPER);
    }

    private static String instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
