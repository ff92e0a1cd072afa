package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A placement constraint: {@code field} is {@code hostname} or an agent attribute name.
 *
 * @param value absent for {@link ConstraintOperator#UNIQUE}; a regular expression for LIKE / UNLIKE; a
 *              positive integer for MAX_PER
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Constraint(String field, ConstraintOperator operator, String value) {
    public Constraint {
        Checks.notBlank(field, "constraint field");
        if (operator == null) {
            throw new IllegalArgumentException("constraint on '" + field + "' has no operator (one of UNIQUE, "
                    + "EQUALS, LIKE, UNLIKE, MAX_PER)");
        }
        if (operator.needsValue() && (value == null || value.isEmpty())) {
            throw new IllegalArgumentException("constraint " + field + " " + operator + " needs a value");
        }
        if (operator == ConstraintOperator.UNIQUE && value != null) {
            throw new IllegalArgumentException("constraint " + field + " UNIQUE takes no value, got '" + value + "'");
        }
        if (operator == ConstraintOperator.LIKE || operator == ConstraintOperator.UNLIKE) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("constraint " + field + " " + operator
                        + " value is not a regular expression: " + e.getDescription());
            }
        }
        if (operator == ConstraintOperator.MAX_PER) {
            int max;
            try {
                max = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("constraint " + field + " MAX_PER needs a positive integer, got '"
                        + value + "'");
            }
            if (max < 1) {
                throw new IllegalArgumentException("constraint " + field + " MAX_PER needs a positive integer, got "
                        + max);
            }
        }
    }
}
