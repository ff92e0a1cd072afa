package io.beehive.scheduler.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** The scheduling core's metrics, registered once per replica (terms come and go, the figures accumulate). */
public final class CoreMetrics {
    public static final String OFFERS_RECEIVED = "beehive.offers.received";
    public static final String OFFERS_DECLINED = "beehive.offers.declined";
    public static final String TASKS_LAUNCHED = "beehive.tasks.launched";
    public static final String UPDATES_RECEIVED = "beehive.updates.received";
    public static final String UPDATES_ACKNOWLEDGED = "beehive.updates.acknowledged";
    /** Updates that carried a uuid, i.e. that must be acknowledged once persisted. */
    public static final String UPDATES_ACKNOWLEDGEABLE = "beehive.updates.acknowledgeable";
    public static final String UPDATES_UNPERSISTED = "beehive.updates.write-failed";
    /** Copies Mesos re-sent of an update already recorded: acknowledged without another write. */
    public static final String UPDATES_RESENT = "beehive.updates.resent";
    public static final String LAUNCHES_ABANDONED = "beehive.launches.write-failed";
    public static final String KILLS_SENT = "beehive.kills.sent";
    /** Loads of the state that failed and were retried (e.g. ZooKeeper refused a read). */
    public static final String LOAD_FAILURES = "beehive.term.load-failures";
    /** Events on a term's loop that threw: a bug, logged with its stack; the loop carries on with the next. */
    public static final String EVENT_FAILURES = "beehive.term.event-failures";
    /** Health check results that said unhealthy (each one the executor reported, before any kill it makes). */
    public static final String HEALTH_FAILURES = "beehive.health.unhealthy-reports";
    public static final String DEPLOYMENTS_STARTED = "beehive.deployments.started";
    public static final String DEPLOYMENTS_SUCCEEDED = "beehive.deployments.succeeded";
    /** Deployments that failed (maxFailures or the progress deadline); an update's failure starts a rollback. */
    public static final String DEPLOYMENTS_FAILED = "beehive.deployments.failed";
    public static final String RECONCILIATION = "beehive.reconciliation";
    public static final String FAILOVER = "beehive.failover";

    public final Counter offersReceived;
    public final Counter offersDeclined;
    public final Counter tasksLaunched;
    public final Counter updatesReceived;
    public final Counter updatesAcknowledged;
    public final Counter updatesAcknowledgeable;
    public final Counter updatesUnpersisted;
    public final Counter updatesResent;
    public final Counter launchesAbandoned;
    public final Counter killsSent;
    public final Counter loadFailures;
    public final Counter eventFailures;
    public final Counter healthFailures;
    public final Counter deploymentsStarted;
    public final Counter deploymentsSucceeded;
    public final Counter deploymentsFailed;
    public final Timer reconciliation;
    public final Timer failover;

    public CoreMetrics(MetricRegistry registry) {
        offersReceived = registry.counter(OFFERS_RECEIVED);
        offersDeclined = registry.counter(OFFERS_DECLINED);
        tasksLaunched = registry.counter(TASKS_LAUNCHED);
        updatesReceived = registry.counter(UPDATES_RECEIVED);
        updatesAcknowledged = registry.counter(UPDATES_ACKNOWLEDGED);
        updatesAcknowledgeable = registry.counter(UPDATES_ACKNOWLEDGEABLE);
        updatesUnpersisted = registry.counter(UPDATES_UNPERSISTED);
        updatesResent = registry.counter(UPDATES_RESENT);
        launchesAbandoned = registry.counter(LAUNCHES_ABANDONED);
        killsSent = registry.counter(KILLS_SENT);
        loadFailures = registry.counter(LOAD_FAILURES);
        eventFailures = registry.counter(EVENT_FAILURES);
        healthFailures = registry.counter(HEALTH_FAILURES);
        deploymentsStarted = registry.counter(DEPLOYMENTS_STARTED);
        deploymentsSucceeded = registry.counter(DEPLOYMENTS_SUCCEEDED);
        deploymentsFailed = registry.counter(DEPLOYMENTS_FAILED);
        reconciliation = registry.timer(RECONCILIATION);
        failover = registry.timer(FAILOVER);
    }

    public long tasksLaunched() { return tasksLaunched.getCount(); }
    public long updatesAcknowledged() { return updatesAcknowledged.getCount(); }
    public long updatesReceived() { return updatesReceived.getCount(); }
    public long updatesAcknowledgeable() { return updatesAcknowledgeable.getCount(); }
    /** Duration of the last completed (or given-up) reconciliation, -1 before the first. */
    public long lastReconciliationMillis() { return lastReconciliationMillis; }

    volatile long lastReconciliationMillis = -1;

    public void reconciliationDone(long millis) {
        reconciliation.update(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        lastReconciliationMillis = millis;
    }
    public long updatesUnpersisted() { return updatesUnpersisted.getCount(); }
    public long updatesResent() { return updatesResent.getCount(); }
    public long launchesAbandoned() { return launchesAbandoned.getCount(); }
}
