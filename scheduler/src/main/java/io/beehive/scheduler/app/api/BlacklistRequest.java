package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;

/** The (optional) body of {@code PUT /v1/agents/{id}/blacklist}. */
public record BlacklistRequest(@JsonProperty("reason") @Size(max = 1024) String reason) {
}
