package io.beehive.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds the asynchronous reads outstanding at once: a load of 100,000 records must not queue 100,000 requests
 * (and their answers) in the client at the same moment.
 */
final class ReadWindow {
    private final Semaphore permits;

    ReadWindow(int size) {
        this.permits = new Semaphore(size);
    }

    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> read) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new StateException("interrupted while loading state", e));
        }
        CompletableFuture<T> future;
        try {
            future = read.get();
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        future.whenComplete((value, error) -> permits.release());
        return future;
    }
}
