package io.beehive.state.record;

/** Placement operators, in the Marathon tradition. */
public enum ConstraintOperator {
    /** At most one task of the job per distinct value of the field. No value. */
    UNIQUE,
    /** The field equals the value. */
    EQUALS,
    /** The field matches the value as a regular expression (whole match). */
    LIKE,
    /** The field does not match the value as a regular expression. */
    UNLIKE,
    /** At most {@code value} (a positive integer) tasks of the job per distinct value of the field. */
    MAX_PER;

    /** Whether a constraint with this operator needs a value. */
    public boolean needsValue() {
        return this != UNIQUE;
    }
}
