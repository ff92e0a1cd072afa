package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #MAX_ENTRIES} fail-overs, newest first, at {@code <root>/failover-history}: one small znode that
 * every replica reads, so all of them show operators the same history. Only a new leader adds to it, once, when it
 * takes office, with a fenced write (a deposed leader's late entry never lands); the bound keeps a leader that
 * changes every few seconds from growing the node.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailoverHistory(List<Failover> entries) {
    public static final int MAX_ENTRIES = 20;
    public static final FailoverHistory EMPTY = new FailoverHistory(List.of());

    public FailoverHistory {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /**
     * This history with {@code failover} in front, older entries beyond the bound dropped. An entry of the same
     * epoch replaces the one recorded before (a term that records twice, e.g. after a retried write).
     */
    public FailoverHistory with(Failover failover) {
        List<Failover> next = new ArrayList<>(MAX_ENTRIES);
        next.add(failover);
        for (Failover e : entries) {
            if (next.size() == MAX_ENTRIES) {
                break;
            }
            if (e.epoch() != failover.epoch()) {
                next.add(e);
            }
        }
        return new FailoverHistory(next);
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }
}
