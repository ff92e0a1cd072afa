package io.beehive.scheduler.core.term;

import io.beehive.state.NotLeaderException;
import io.beehive.state.record.TermStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this term's {@link TermStatus} at {@code <root>/term-status} so followers can show operators who leads,
 * since when, how long the fail-over took and when Mesos was last reconciled. Written through the term's ordered,
 * fenced writer: a deposed leader's late status can never overwrite its successor's. A failed write is only logged;
 * the next change publishes the whole status again. Confined to the term's loop.
 */
final class TermStatusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(TermStatusPublisher.class);

    private final long term;
    private final GroupCommitWriter writer;
    private TermStatus status;

    TermStatusPublisher(long term, GroupCommitWriter writer, String participantId, long epoch, long electedAtMillis) {
        this.term = term;
        this.writer = writer;
        this.status = TermStatus.elected(participantId, epoch, electedAtMillis);
    }

    /** The term took office: state loaded, about to subscribe. */
    void elected() {
        publish("elected");
    }

    /** Subscribed and reconciled for the first time: the term is ready, the fail-over is over. */
    void inOffice(String frameworkId, long subscribedAtMillis, long failoverMillis, long reconciledAtMillis) {
        status = status.subscribed(frameworkId, subscribedAtMillis, failoverMillis).reconciled(reconciledAtMillis);
        publish("in office");
    }

    void reconciled(long atMillis) {
        status = status.reconciled(atMillis);
        publish("reconciled");
    }

    private void publish(String what) {
        TermStatus s = status;
        writer.submit(b -> b.putTermStatus(s), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                LOG.debug("Term {}: status published ({})", term, what);
            }

            @Override
            public void failed(Throwable error) {
                if (!(error instanceof NotLeaderException)) {
                    LOG.warn("Term {}: publishing the term status ({}) failed: {}", term, what, error.toString());
                }
            }
        });
    }
}
