package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * What the current leader publishes about its term at {@code <root>/term-status}, so that every replica (not only
 * the leader) can show operators when the last fail-over happened, how long it took, and when Mesos was last
 * reconciled. Written fenced, like every other record: a deposed leader cannot overwrite its successor's status.
 *
 * @param participantId          the leader's advertised API address
 * @param epoch                  the term's fence epoch
 * @param electedAtMillis        when this replica took office (its clock)
 * @param subscribedAtMillis     when the term's first SUBSCRIBED arrived; null before that
 * @param failoverMillis         from this replica's election to ready (subscribed, FrameworkID durable, first
 *                               reconciliation over); null while the term is not ready yet. The time before the
 *                               election (a crashed leader's session expiring) is not in it.
 * @param lastReconciliationAtMillis when the last reconciliation finished; null before the first
 * @param frameworkId            the FrameworkID the term is subscribed with; null before SUBSCRIBED
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TermStatus(String participantId, long epoch, long electedAtMillis, Long subscribedAtMillis,
                         Long failoverMillis, Long lastReconciliationAtMillis, String frameworkId) {
    public TermStatus {
        Objects.requireNonNull(participantId, "participantId");
    }

    public static TermStatus elected(String participantId, long epoch, long electedAtMillis) {
        return new TermStatus(participantId, epoch, electedAtMillis, null, null, null, null);
    }

    public TermStatus subscribed(String frameworkId, long atMillis, long failoverMillis) {
        return new TermStatus(participantId, epoch, electedAtMillis, atMillis, failoverMillis,
                lastReconciliationAtMillis, frameworkId);
    }

    public TermStatus reconciled(long atMillis) {
        return new TermStatus(participantId, epoch, electedAtMillis, subscribedAtMillis, failoverMillis, atMillis,
                frameworkId);
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }
}
