package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.FatalError;
import io.beehive.scheduler.mesos.MasterDetector;

/** What a {@link LeaderTerm} tells the replica that owns it. Called from the term's threads; must not block. */
public interface TermOwner {
    /** A lease of the replica's long-lived master detector, for this term's Mesos client (closed with it). */
    MasterDetector masterDetector();

    /** The replica cannot lead safely (another replica could not either). */
    void fatal(FatalError error);

    /** Another scheduler instance subscribed with our FrameworkID: it leads now; step down. */
    void failedOver();

    /** A fenced write failed because the fence is gone: this term is over even if the election has not said so. */
    void fenceLost();

    /** Reconciliation after the first subscription of this term finished: the term is fully in office. */
    void inOffice(long reconciliationMillis, long failoverMillis);
}
