package io.beehive.state.record;

import java.util.regex.Pattern;

/** Argument checks shared by the records; each failure message names the offending field and value. */
final class Checks {
    /**
     * Ids become znode names: no '/', none of ZooKeeper's reserved names, printable ASCII only, and short
     * enough that a bucket's child list stays far below jute.maxbuffer.
     */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}");

    private Checks() {
    }

    static String notBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    static String id(String value, String what) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1-200 characters of [A-Za-z0-9._:@+=-] starting "
                    + "with a letter or digit, got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        return value;
    }

    static void notNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
    }
}
