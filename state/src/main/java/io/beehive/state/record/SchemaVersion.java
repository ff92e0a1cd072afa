package io.beehive.state.record;

/**
 * The version of the JSON shape written by this code. Every record serialises it as {@code schemaVersion};
 * readers ignore fields they do not know, so an older Beehive reads what a newer one wrote (and a newer one
 * can migrate by looking at the number).
 */
public final class SchemaVersion {
    public static final int CURRENT = 1;

    private SchemaVersion() {
    }
}
