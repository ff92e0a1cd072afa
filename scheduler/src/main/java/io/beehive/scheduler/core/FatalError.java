package io.beehive.scheduler.core;

/**
 * A condition under which this replica must not go on leading, and which another replica would hit too: the
 * application's entry point maps {@link #exitCode()} to its process exit status.
 */
public record FatalError(int exitCode, String message) {

    /** Task records exist but no FrameworkID is stored: subscribing would orphan every running task. */
    public static final int EXIT_NO_FRAMEWORK_ID_WITH_TASKS = 70;
    /** Mesos says the framework was removed (torn down or failover_timeout expired): its id can never subscribe. */
    public static final int EXIT_FRAMEWORK_REMOVED = 71;
    /** The master refused the subscription (bad FrameworkInfo, not authorised). */
    public static final int EXIT_SUBSCRIPTION_REFUSED = 72;
    /** The configuration is unusable (e.g. failover_timeout 0). */
    public static final int EXIT_BAD_CONFIGURATION = 78;
}
