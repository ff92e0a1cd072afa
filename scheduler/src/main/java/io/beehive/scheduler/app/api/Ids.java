package io.beehive.scheduler.app.api;

import java.util.regex.Pattern;

/** The id rule of the state records (they become znode names), checked before an id reaches ZooKeeper paths. */
public final class Ids {
    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}";
    public static final String RULE = "1-200 characters of [A-Za-z0-9._:@+=-] starting with a letter or digit";
    private static final Pattern ID = Pattern.compile(REGEX);

    private Ids() {
    }

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
