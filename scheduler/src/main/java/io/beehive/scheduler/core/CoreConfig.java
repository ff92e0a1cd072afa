package io.beehive.scheduler.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the scheduling core needs to know that is not in ZooKeeper. Built with {@link #builder()}; every
 * value has a default that suits a production cluster, and tests shorten the timers.
 */
public final class CoreConfig {
    public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofDays(7);

    private final String frameworkName;
    private final String user;
    private final String role;
    private final Duration failoverTimeout;
    private final Duration reconcileInitialBackoff;
    private final Duration reconcileMaxBackoff;
    private final int reconcileBatchSize;
    private final Duration reconcileMaxDuration;
    private final Duration periodicReconcileInterval;
    private final Duration declineFilter;
    private final Duration idleDeclineFilter;
    private final Duration reviveMinInterval;
    private final boolean killUnknownTasks;
    private final Duration unreachableReplaceAfter;
    private final Duration stagingTimeout;
    private final Duration killRetryInterval;
    private final int historyMaxPerJob;
    private final Duration historyMaxAge;
    private final Duration housekeepingInterval;
    private final Duration killReplaceAfter;

    private CoreConfig(Builder b) {
        this.frameworkName = requireText(b.frameworkName, "frameworkName");
        this.user = requireText(b.user, "user");
        this.role = requireText(b.role, "role");
        this.failoverTimeout = positive(b.failoverTimeout, "failoverTimeout (0 would make Mesos kill every task the "
                + "moment the leader disconnects)");
        this.reconcileInitialBackoff = positive(b.reconcileInitialBackoff, "reconcileInitialBackoff");
        this.reconcileMaxBackoff = positive(b.reconcileMaxBackoff, "reconcileMaxBackoff");
        if (reconcileMaxBackoff.compareTo(reconcileInitialBackoff) < 0) {
            throw new IllegalArgumentException("reconcileMaxBackoff must be at least reconcileInitialBackoff");
        }
        if (b.reconcileBatchSize < 1) {
            throw new IllegalArgumentException("reconcileBatchSize must be at least 1, got " + b.reconcileBatchSize);
        }
        this.reconcileBatchSize = b.reconcileBatchSize;
        this.reconcileMaxDuration = positive(b.reconcileMaxDuration, "reconcileMaxDuration");
        this.periodicReconcileInterval = positive(b.periodicReconcileInterval, "periodicReconcileInterval");
        this.declineFilter = positive(b.declineFilter, "declineFilter");
        this.idleDeclineFilter = positive(b.idleDeclineFilter, "idleDeclineFilter");
        this.reviveMinInterval = notNegative(b.reviveMinInterval, "reviveMinInterval");
        this.killUnknownTasks = b.killUnknownTasks;
        this.unreachableReplaceAfter = notNegative(b.unreachableReplaceAfter, "unreachableReplaceAfter");
        this.stagingTimeout = positive(b.stagingTimeout, "stagingTimeout");
        this.killRetryInterval = positive(b.killRetryInterval, "killRetryInterval");
        if (b.historyMaxPerJob < 0) {
            throw new IllegalArgumentException("historyMaxPerJob must not be negative, got " + b.historyMaxPerJob);
        }
        this.historyMaxPerJob = b.historyMaxPerJob;
        this.historyMaxAge = positive(b.historyMaxAge, "historyMaxAge");
        this.housekeepingInterval = positive(b.housekeepingInterval, "housekeepingInterval");
        this.killReplaceAfter = notNegative(b.killReplaceAfter, "killReplaceAfter");
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String requireText(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return v;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    private static Duration notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    public String frameworkName() { return frameworkName; }
    public String user() { return user; }
    public String role() { return role; }
    /** How long Mesos keeps the framework's tasks after the leader disconnects: the fail-over budget. */
    public Duration failoverTimeout() { return failoverTimeout; }
    public Duration reconcileInitialBackoff() { return reconcileInitialBackoff; }
    public Duration reconcileMaxBackoff() { return reconcileMaxBackoff; }
    /** Tasks per explicit RECONCILE call. */
    public int reconcileBatchSize() { return reconcileBatchSize; }
    /** After this long, reconciliation ends even if some tasks never answered, so launching can never block forever. */
    public Duration reconcileMaxDuration() { return reconcileMaxDuration; }
    public Duration periodicReconcileInterval() { return periodicReconcileInterval; }
    /** refuse_seconds when declining offers we cannot use right now (reconciling, nothing fits). */
    public Duration declineFilter() { return declineFilter; }
    /** refuse_seconds when declining with nothing pending at all. */
    public Duration idleDeclineFilter() { return idleDeclineFilter; }
    public Duration reviveMinInterval() { return reviveMinInterval; }
    /** Kill tasks Mesos reports that Beehive has no record of. */
    public boolean killUnknownTasks() { return killUnknownTasks; }
    /** How long an unreachable task may stay so before a replacement is launched (0: at once). */
    public Duration unreachableReplaceAfter() { return unreachableReplaceAfter; }
    /** A task STAGING/STARTING this long gets a targeted explicit reconciliation. */
    public Duration stagingTimeout() { return stagingTimeout; }
    public Duration killRetryInterval() { return killRetryInterval; }
    /** Terminal task records kept per job (the newest ones). */
    public int historyMaxPerJob() { return historyMaxPerJob; }
    /** Terminal task records older than this are deleted. */
    public Duration historyMaxAge() { return historyMaxAge; }
    /** Tick of the timer that retries kills, checks staging and unreachable tasks, and places backed-off work. */
    public Duration housekeepingInterval() { return housekeepingInterval; }
    /**
     * How long past its job's kill grace period a task being killed (restart, update, operator kill) still holds
     * its slot. Its replacement waits for the task's terminal update so two copies never run at once; this bounds
     * the wait when that update never comes (KILLs keep being re-sent meanwhile).
     */
    public Duration killReplaceAfter() { return killReplaceAfter; }

    public static final class Builder {
        private String frameworkName = "beehive";
        private String user = System.getProperty("user.name", "root");
        private String role = "*";
        private Duration failoverTimeout = DEFAULT_FAILOVER_TIMEOUT;
        private Duration reconcileInitialBackoff = Duration.ofSeconds(2);
        private Duration reconcileMaxBackoff = Duration.ofSeconds(30);
        private int reconcileBatchSize = 1000;
        private Duration reconcileMaxDuration = Duration.ofMinutes(2);
        private Duration periodicReconcileInterval = Duration.ofMinutes(10);
        private Duration declineFilter = Duration.ofSeconds(5);
        private Duration idleDeclineFilter = Duration.ofSeconds(60);
        private Duration reviveMinInterval = Duration.ofSeconds(1);
        private boolean killUnknownTasks = true;
        private Duration unreachableReplaceAfter = Duration.ofMinutes(5);
        private Duration stagingTimeout = Duration.ofMinutes(5);
        private Duration killRetryInterval = Duration.ofSeconds(30);
        private int historyMaxPerJob = 10;
        private Duration historyMaxAge = Duration.ofDays(1);
        private Duration housekeepingInterval = Duration.ofSeconds(1);
        private Duration killReplaceAfter = Duration.ofMinutes(1);

        public Builder frameworkName(String v) { this.frameworkName = v; return this; }
        public Builder user(String v) { this.user = v; return this; }
        public Builder role(String v) { this.role = v; return this; }
        public Builder failoverTimeout(Duration v) { this.failoverTimeout = v; return this; }
        public Builder reconcileBackoff(Duration initial, Duration max) {
            this.reconcileInitialBackoff = initial;
            this.reconcileMaxBackoff = max;
            return this;
        }
        public Builder reconcileBatchSize(int v) { this.reconcileBatchSize = v; return this; }
        public Builder reconcileMaxDuration(Duration v) { this.reconcileMaxDuration = v; return this; }
        public Builder periodicReconcileInterval(Duration v) { this.periodicReconcileInterval = v; return this; }
        public Builder declineFilter(Duration v) { this.declineFilter = v; return this; }
        public Builder idleDeclineFilter(Duration v) { this.idleDeclineFilter = v; return this; }
        public Builder reviveMinInterval(Duration v) { this.reviveMinInterval = v; return this; }
        public Builder killUnknownTasks(boolean v) { this.killUnknownTasks = v; return this; }
        public Builder unreachableReplaceAfter(Duration v) { this.unreachableReplaceAfter = v; return this; }
        public Builder stagingTimeout(Duration v) { this.stagingTimeout = v; return this; }
        public Builder killRetryInterval(Duration v) { this.killRetryInterval = v; return this; }
        public Builder history(int maxPerJob, Duration maxAge) {
            this.historyMaxPerJob = maxPerJob;
            this.historyMaxAge = maxAge;
            return this;
        }
        public Builder housekeepingInterval(Duration v) { this.housekeepingInterval = v; return this; }
        public Builder killReplaceAfter(Duration v) { this.killReplaceAfter = v; return this; }

        public CoreConfig build() {
            return new CoreConfig(this);
        }
    }
}
