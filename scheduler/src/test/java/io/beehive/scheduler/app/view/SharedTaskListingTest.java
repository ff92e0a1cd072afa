package io.beehive.scheduler.app.view;

import io.beehive.state.record.TaskRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SharedTaskListingTest {
    private final AtomicLong now = new AtomicLong();
    private final SharedTaskListing listing = new SharedTaskListing(Duration.ofSeconds(1), Duration.ofSeconds(10),
            now::get);
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void requestsArrivingDuringAListingWaitForItInsteadOfReadingAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<TaskRecord>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    waiting.incrementAndGet();
                    return listing.get(() -> {
                        reads.incrementAndGet();
                        await().atMost(Duration.ofSeconds(5)).until(() -> waiting.get() == 8);
                        awaitUninterruptibly(release);
                        return List.of();
                    });
                }));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> waiting.get() == 8 && reads.get() >= 1);
            release.countDown();
            for (Future<List<TaskRecord>> a : answers) {
                assertThat(a.get(5, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFinishedListingAnswersUntilItIsOlderThanMaxAge() {
        listing.get(this::countedRead);
        now.addAndGet(Duration.ofMillis(900).toNanos());
        listing.get(this::countedRead);
        assertThat(reads).hasValue(1);

        now.addAndGet(Duration.ofMillis(200).toNanos());
        listing.get(this::countedRead);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedListingIsNeverHandedToALaterRequest() {
        assertThatThrownBy(() -> listing.get(() -> {
            throw new StateUnavailableException("ZooKeeper gone", null);
        })).isInstanceOf(StateUnavailableException.class);
        assertThat(listing.get(this::countedRead)).isEmpty();
        assertThat(reads).hasValue(1);
    }

    private List<TaskRecord> countedRead() {
        reads.incrementAndGet();
        return List.of();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
