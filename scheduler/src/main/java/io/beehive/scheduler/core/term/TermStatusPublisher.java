package io.beehive.scheduler.core.term;

import io.beehive.state.NotLeaderException;
import io.beehive.state.WriteBatch;
import io.beehive.state.record.Failover;
import io.beehive.state.record.FailoverHistory;
import io.beehive.state.record.TermStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Publishes this term's {@link TermStatus} at {@code <root>/term-status} so followers can show operators who leads,
 * since when, how long the fail-over took and when Mesos was last reconciled; on taking office it also adds the
 * term to the bounded {@link FailoverHistory}, in the same transaction. Written through the term's ordered,
 * fenced writer: a deposed leader's late status can never overwrite its successor's. A failed write is only logged;
 * the next change publishes the whole status again. Confined to the term's loop.
 */
final class TermStatusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(TermStatusPublisher.class);

    private final long term;
    private final GroupCommitWriter writer;
    private TermStatus status;
    private CompletableFuture<Optional<TermStatus>> predecessor = CompletableFuture.completedFuture(Optional.empty());
    private CompletableFuture<FailoverHistory> failovers = CompletableFuture.completedFuture(FailoverHistory.EMPTY);

    TermStatusPublisher(long term, GroupCommitWriter writer, String participantId, long epoch, long electedAtMillis) {
        this.term = term;
        this.writer = writer;
        this.status = TermStatus.elected(participantId, epoch, electedAtMillis);
    }

    /** What the previous leader left, read before this term's first status replaces it. */
    void rememberPredecessor(CompletableFuture<Optional<TermStatus>> predecessor,
                             CompletableFuture<FailoverHistory> failovers) {
        this.predecessor = predecessor;
        this.failovers = failovers;
    }

    /** The term took office: state loaded, about to subscribe. */
    void elected() {
        publish("elected");
    }

    /** Subscribed and reconciled for the first time: the term is ready, the fail-over is over. */
    void inOffice(String frameworkId, long subscribedAtMillis, long failoverMillis, long reconciledAtMillis) {
        status = status.subscribed(frameworkId, subscribedAtMillis, failoverMillis).reconciled(reconciledAtMillis);
        TermStatus s = status;
        Optional<FailoverHistory> history = readNow(failovers, "fail-over history");
        if (history.isEmpty()) {
            publish("in office");
            return;
        }
        // A leader that finds its own status there re-recorded after a retried load: it is not its predecessor.
        TermStatus previous = readNow(predecessor, "previous term status").flatMap(p -> p)
                .filter(p -> p.epoch() != s.epoch()).orElse(null);
        FailoverHistory next = history.get().with(Failover.of(s, previous, System.currentTimeMillis(),
                failoverMillis));
        submit(b -> b.putTermStatus(s).putFailoverHistory(next), "in office, fail-over recorded");
    }

    /**
     * The reads were issued before the state load and have long completed; an unreadable history is not worth
     * delaying or failing the term for: this fail-over then goes unrecorded (logged), the next one starts afresh.
     */
    private <T> Optional<T> readNow(CompletableFuture<T> read, String what) {
        try {
            return Optional.of(read.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Term {}: cannot read the {} ({}); this fail-over is not added to the history", term, what,
                    e.toString());
            return Optional.empty();
        }
    }

    void reconciled(long atMillis) {
        status = status.reconciled(atMillis);
        publish("reconciled");
    }

    private void publish(String what) {
        TermStatus s = status;
        submit(b -> b.putTermStatus(s), what);
    }

    private void submit(Consumer<WriteBatch> change, String what) {
        writer.submit(change, new GroupCommitWriter.Outcome() {
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
