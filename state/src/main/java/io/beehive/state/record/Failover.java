package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * One change of leader, as the new leader recorded it when it took office (see {@link FailoverHistory}).
 *
 * @param epoch             the new term's fence epoch
 * @param leader            the new leader's advertised API address
 * @param previousLeader    who led before, from the term status it had published; null for the first leader
 * @param previousEpoch     the previous term's epoch; null for the first leader
 * @param electedAtMillis   when the new leader was elected (its clock)
 * @param inOfficeAtMillis  when it was ready: subscribed, FrameworkID durable, first reconciliation over
 * @param durationMillis    election → in office. The wait before the election (a crashed leader's session
 *                          expiring) is not in it: nobody can measure it without the previous leader's clock.
 * @param cause             why the office changed hands, when the new leader can tell: {@code first leader},
 *                          {@code re-elected} (the same replica again), {@code leader changed}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Failover(long epoch, String leader, String previousLeader, Long previousEpoch, long electedAtMillis,
                       long inOfficeAtMillis, long durationMillis, String cause) {
    public static final String FIRST_LEADER = "first leader";
    public static final String RE_ELECTED = "re-elected";
    public static final String LEADER_CHANGED = "leader changed";

    public Failover {
        Objects.requireNonNull(leader, "leader");
    }

    /** The entry a new leader writes, given the term status its predecessor left (if any). */
    public static Failover of(TermStatus now, TermStatus previous, long inOfficeAtMillis, long durationMillis) {
        String cause = previous == null ? FIRST_LEADER
                : previous.participantId().equals(now.participantId()) ? RE_ELECTED : LEADER_CHANGED;
        return new Failover(now.epoch(), now.participantId(), previous == null ? null : previous.participantId(),
                previous == null ? null : previous.epoch(), now.electedAtMillis(), inOfficeAtMillis, durationMillis,
                cause);
    }
}
