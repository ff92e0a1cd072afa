package io.beehive.scheduler.app.api;

import java.util.List;
import java.util.function.Supplier;

/**
 * Turns the state records' own checks into 422s: their constructors throw {@link IllegalArgumentException} with a
 * message naming the field, which must reach the client as its error, never as a 500.
 */
final class Fields {
    private Fields() {
    }

    /** The value, or null with the check's message added to {@code errors} (so every bad field is named at once). */
    static <T> T parse(List<String> errors, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    /** The value, or a 422 with the check's message. */
    static <T> T parse(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(e.getMessage());
        }
    }
}
