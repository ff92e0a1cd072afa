package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A placement constraint in a job request: {@code {"field":"hostname","operator":"UNIQUE"}}. */
public record ConstraintSpec(
        @JsonProperty("field") @NotBlank String field,
        @JsonProperty("operator") @NotNull @Pattern(regexp = "UNIQUE|EQUALS|LIKE|UNLIKE|MAX_PER",
                message = "must be one of UNIQUE, EQUALS, LIKE, UNLIKE, MAX_PER") String operator,
        @JsonProperty("value") String value) {
}
