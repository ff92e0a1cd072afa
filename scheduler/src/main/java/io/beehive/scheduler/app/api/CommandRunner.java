package io.beehive.scheduler.app.api;

import io.beehive.scheduler.core.term.CommandRejectedException;
import io.beehive.scheduler.core.term.JobVersionMismatchException;
import io.beehive.scheduler.core.term.NotLeadingException;
import io.beehive.state.NotLeaderException;
import io.beehive.state.RecordTooLargeException;
import io.beehive.state.StateWriteException;
import org.apache.zookeeper.KeeperException;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a command the leader runs asynchronously and turns its failure into an HTTP answer: a rejected command
 * is the client's conflict (409), a version that does not match {@code If-Match} a 412, a record invariant the
 * request broke a 422, a record too large the client's 413. Every 503 says whether the write landed: a lost
 * leadership mid-command did not (writes are fenced), a command the leader did not confirm in time may have.
 */
public final class CommandRunner {
    /** ZooKeeper failures after which a transaction may or may not have landed. */
    private static final Set<KeeperException.Code> OUTCOME_UNKNOWN = Set.of(KeeperException.Code.CONNECTIONLOSS,
            KeeperException.Code.OPERATIONTIMEOUT, KeeperException.Code.SESSIONEXPIRED,
            KeeperException.Code.SESSIONMOVED);

    private final Duration timeout;
    private final long retryAfterSeconds;

    public CommandRunner(Duration timeout, long retryAfterSeconds) {
        this.timeout = timeout;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public <T> T await(CompletableFuture<T> command) {
        try {
            return command.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unavailable("interrupted while waiting for the leader; the command may still apply: "
                    + "read the resource before retrying", retryAfterSeconds, WriteApplied.UNKNOWN);
        } catch (TimeoutException e) {
            throw ApiProblem.unavailable("the leader did not confirm the command within " + timeout.toMillis()
                    + " ms; it may still apply: read the resource before retrying", retryAfterSeconds,
                    WriteApplied.UNKNOWN);
        } catch (ExecutionException | CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        }
    }

    private RuntimeException translate(Throwable cause) {
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CommandRejectedException rejected) {
            return ApiProblem.conflict(rejected.getMessage());
        }
        if (cause instanceof JobVersionMismatchException mismatch) {
            return ApiProblem.preconditionFailed(mismatch.getMessage());
        }
        if (cause instanceof NotLeadingException || cause instanceof NotLeaderException) {
            return ApiProblem.unavailable("leadership changed while the command ran; it was not applied: "
                    + cause.getMessage(), retryAfterSeconds, WriteApplied.NO);
        }
        if (cause instanceof StateWriteException failed) {
            boolean unknown = !(failed.getCause() instanceof KeeperException k) || OUTCOME_UNKNOWN.contains(k.code());
            return ApiProblem.unavailable("the leader could not write to ZooKeeper: " + failed.getMessage(),
                    retryAfterSeconds, unknown ? WriteApplied.UNKNOWN : WriteApplied.NO);
        }
        if (cause instanceof RecordTooLargeException) {
            return ApiProblem.of(413, cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException invalid) {
            // The state records check their own invariants and name the field; the request asked for a record
            // that cannot exist.
            return ApiProblem.invalid(invalid.getMessage());
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(cause);
    }
}
