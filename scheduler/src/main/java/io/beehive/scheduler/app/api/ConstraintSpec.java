package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.Constraint;
import io.beehive.state.record.ConstraintOperator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.ArrayList;
import java.util.List;

/** A placement constraint in a job request: {@code {"field":"hostname","operator":"UNIQUE"}}. */
public record ConstraintSpec(
        @JsonProperty("field") @NotBlank String field,
        @JsonProperty("operator") @NotNull @Pattern(regexp = "UNIQUE|EQUALS|LIKE|UNLIKE|MAX_PER",
                message = "must be one of UNIQUE, EQUALS, LIKE, UNLIKE, MAX_PER") String operator,
        @JsonProperty("value") String value) {

    /** The state records, with each invalid constraint's error (naming its index) added to {@code errors}. */
    static List<Constraint> parseAll(List<ConstraintSpec> specs, List<String> errors) {
        List<Constraint> parsed = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ConstraintSpec c = specs.get(i);
            try {
                parsed.add(new Constraint(c.field(), ConstraintOperator.valueOf(c.operator()), c.value()));
            } catch (IllegalArgumentException e) {
                errors.add("constraints[" + i + "] " + e.getMessage());
            }
        }
        return parsed;
    }
}
