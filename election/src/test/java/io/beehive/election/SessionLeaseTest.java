package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The lease's arithmetic on a clock the test moves by hand: the answer flips at the lease's end on its own, with no
 * timer involved, which is what lets a process that wakes from a pause answer "not leader" at once.
 */
class SessionLeaseTest {
    private static final long SESSION_ID = 0x1234L;
    private static final Duration SESSION = Duration.ofSeconds(4);
    /** 4 s − 4 s / 8. */
    private static final long VALIDITY_MS = 3_500;

    /** Starts far from zero and crosses the sign of long: nanoTime values are only meaningful as differences. */
    private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(1));
    private final SessionLease lease = new SessionLease(clock::get);

    @Test
    void holdsUntilTheSessionTimeoutLessTheMarginAfterTheProofWasSentThenFlipsWithoutAnyTimer() {
        long sentAt = lease.now();
        advanceMillis(30); // the answer takes a while: what counts is when the request left
        lease.grant(SESSION_ID, SESSION, sentAt);
        assertThat(lease.state()).isEqualTo(SessionLease.State.HELD);
        assertThat(lease.remaining()).isEqualTo(Duration.ofMillis(VALIDITY_MS - 30));
        assertThat(lease.sinceLastProof()).isEqualTo(Duration.ofMillis(30));

        advanceNanos(TimeUnit.MILLISECONDS.toNanos(VALIDITY_MS - 30) - 1);
        assertThat(lease.held()).as("one nanosecond before the end").isTrue();
        advanceNanos(1);
        assertThat(lease.held()).as("at the end").isFalse();
        assertThat(lease.state()).isEqualTo(SessionLease.State.EXPIRED);
        assertThat(lease.remaining()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aLaterAnsweredRequestExtendsTheLeaseAnEarlierOneDoesNot() {
        long first = lease.now();
        lease.grant(SESSION_ID, SESSION, first);
        advanceMillis(400);
        long second = lease.now();
        advanceMillis(20);
        assertThat(lease.renew(SESSION_ID, second)).isTrue();
        assertThat(lease.expiresAtNanos()).isEqualTo(second + TimeUnit.MILLISECONDS.toNanos(VALIDITY_MS));
        // Answers of older requests arriving late (they are answered in order, but be safe) never shorten it.
        assertThat(lease.renew(SESSION_ID, first)).isFalse();
        assertThat(lease.expiresAtNanos()).isEqualTo(second + TimeUnit.MILLISECONDS.toNanos(VALIDITY_MS));
    }

    @Test
    void anotherSessionsAnswerProvesNothing() {
        lease.grant(SESSION_ID, SESSION, lease.now());
        long expiresAt = lease.expiresAtNanos();
        advanceMillis(1_000);
        assertThat(lease.renew(SESSION_ID + 1, lease.now())).isFalse();
        assertThat(lease.expiresAtNanos()).isEqualTo(expiresAt);
    }

    @Test
    void anExpiredLeaseIsNotRevivedByALateAnswer() {
        lease.grant(SESSION_ID, SESSION, lease.now());
        advanceMillis(VALIDITY_MS - 100);
        long sentJustBeforeTheEnd = lease.now();
        advanceMillis(200); // a pause: the answer is read only after the end
        assertThat(lease.held()).isFalse();
        assertThat(lease.renew(SESSION_ID, sentJustBeforeTheEnd)).isFalse();
        assertThat(lease.held()).isFalse();
    }

    @Test
    void aRevokedLeaseIsNotHeldAndCannotBeRenewed() {
        lease.grant(SESSION_ID, SESSION, lease.now());
        lease.revoke();
        assertThat(lease.state()).isEqualTo(SessionLease.State.NONE);
        assertThat(lease.renew(SESSION_ID, lease.now())).isFalse();
        assertThat(lease.held()).isFalse();
        assertThat(lease.sessionId()).isZero();
    }

    private void advanceMillis(long millis) {
        advanceNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private void advanceNanos(long nanos) {
        clock.addAndGet(nanos);
    }
}
