package io.beehive.state.record;

/** Argument checks shared by the records; each failure message names the offending field and value. */
final class Checks {
    /**
     * Ids become znode names: no '/', none of ZooKeeper's reserved names, printable ASCII only, and short
     * enough that a bucket's child list stays far below jute.maxbuffer: {@code [A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}}.
     * Checked by hand, not with a regex: every task record copy (each status update makes one) checks two ids.
     */
    private static final int MAX_ID_LENGTH = 200;

    private Checks() {
    }

    static String notBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    static String id(String value, String what) {
        if (!isValidId(value)) {
            throw new IllegalArgumentException(what + " must be 1-200 characters of [A-Za-z0-9._:@+=-] starting "
                    + "with a letter or digit, got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        return value;
    }

    /** Like {@link #id(String, String)}, naming the record it belongs to only when it is wrong. */
    static String id(String value, String what, String ofRecord) {
        return isValidId(value) ? value : id(value, what + " " + ofRecord);
    }

    private static boolean isValidId(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH || !isAlphanumeric(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAlphanumeric(c) && c != '.' && c != '_' && c != ':' && c != '@' && c != '+' && c != '='
                    && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static void notNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
    }
}
