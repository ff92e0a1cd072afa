package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Objects;

/**
 * A password, token or key from the configuration. It never prints itself: configurations get logged, dumped by
 * {@code check}, and shown in exception messages, and none of those may leak what operators put in environment
 * variables.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret("");
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** The secret itself; only for handing it to the party that checks it. */
    public String reveal() {
        return value;
    }

    /** Compares in time independent of where the first difference is, so a timing probe learns nothing. */
    public boolean matches(String candidate) {
        if (candidate == null || isEmpty()) {
            return false;
        }
        return java.security.MessageDigest.isEqual(value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return isEmpty() ? "(none)" : "******";
    }
}
