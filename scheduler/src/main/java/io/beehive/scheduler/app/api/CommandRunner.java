package io.beehive.scheduler.app.api;

import io.beehive.scheduler.core.term.CommandRejectedException;
import io.beehive.scheduler.core.term.NotLeadingException;
import io.beehive.state.NotLeaderException;
import io.beehive.state.RecordTooLargeException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a command the leader runs asynchronously and turns its failure into an HTTP answer: a rejected command
 * is the client's conflict (409), a lost leadership mid-command is a 503 to retry (the write did not land: writes
 * are fenced), a record too large is the client's 413.
 */
public final class CommandRunner {
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
            throw ApiProblem.unavailable("interrupted while waiting for the leader", retryAfterSeconds);
        } catch (TimeoutException e) {
            throw ApiProblem.unavailable("the leader did not confirm the command within " + timeout.toMillis()
                    + " ms; it may still apply: read the resource before retrying", retryAfterSeconds);
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
        if (cause instanceof NotLeadingException || cause instanceof NotLeaderException) {
            return ApiProblem.unavailable("leadership changed while the command ran; it was not applied: "
                    + cause.getMessage(), retryAfterSeconds);
        }
        if (cause instanceof RecordTooLargeException) {
            return ApiProblem.of(413, cause.getMessage());
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(cause);
    }
}
