package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An agent the scheduler must not place tasks on, stored at {@code <root>/blacklist/<agentId>}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlacklistEntry(String agentId, String reason, long sinceMillis) {
    public BlacklistEntry {
        Checks.id(agentId, "agent id");
    }

    @JsonProperty(value = "schemaVersion", access = JsonProperty.Access.READ_ONLY)
    public int schemaVersion() {
        return SchemaVersion.CURRENT;
    }
}
