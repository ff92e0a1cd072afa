package io.beehive.scheduler.app.runtime;

import io.beehive.scheduler.core.FatalError;
import io.beehive.scheduler.core.FatalErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Carries the first fatal condition (the core's {@link FatalError}, or a failed start) to the application's entry
 * point, which is the only place allowed to end the process. Later errors are logged and dropped: the first one
 * decides the exit code.
 */
public final class FatalExitSignal implements FatalErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FatalExitSignal.class);
    private final CompletableFuture<FatalError> first = new CompletableFuture<>();

    @Override
    public void fatal(FatalError error) {
        if (first.complete(error)) {
            LOG.error("FATAL (exit code {}): {}", error.exitCode(), error.message());
        } else {
            LOG.error("Another fatal error after the first (exit code {}): {}", error.exitCode(), error.message());
        }
    }

    /** Completes with the first fatal error; never completes in a healthy replica. */
    public CompletableFuture<FatalError> firstError() {
        return first;
    }

    public boolean raised() {
        return first.isDone();
    }
}
