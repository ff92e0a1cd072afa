package io.beehive.scheduler.core;

/**
 * Told once when this replica cannot lead safely. The application implements it (log, then exit with
 * {@link FatalError#exitCode()}); the core never exits the process itself.
 */
@FunctionalInterface
public interface FatalErrorHandler {
    void fatal(FatalError error);
}
