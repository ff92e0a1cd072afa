package io.beehive.election;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Until when this replica can prove that the ZooKeeper session holding its latch node is alive: a leader may act
 * only before {@link #expiresAtNanos()} (DESIGN.md, invariant 6). Answers compare that deadline with the clock at
 * the moment they are asked ({@link #held()}: one volatile read and one {@code System.nanoTime()}), so a process
 * that wakes from a pause past its lease says "not held" at once, before any timer of its own could fire.
 *
 * <h2>The arithmetic</h2>
 * A ZooKeeper server expires a session it has not heard from for the negotiated session timeout {@code T}; any
 * request of the session counts as hearing from it. (The ZooKeeper client, when idle, pings every {@code T/3}, and
 * gives a connection up when it has heard nothing for {@code 2T/3}, its read timeout.) A request <em>sent</em> at
 * {@code s} on our clock reaches the server at {@code s} or later, so once its answer has come back, the server had
 * heard from the session at {@code s} at the earliest and cannot expire it before {@code s + T}. Hence, for the
 * latest {@code s} whose answer has come back:
 *
 * <pre>
 *   lease end = s + T − M,   margin M = T/8   (a probe every T/10, see {@link LeaseProbe})
 * </pre>
 *
 * The margin covers, in this order of size:
 * <ul>
 *   <li>in an ensemble, the delay with which a follower tells the ensemble's leader (which does the expiring) which
 *       sessions it heard from: it reports them when the leader pings it, every half tick. The probe is a
 *       {@code sync}, which only the ensemble's leader can answer, so the follower was connected to it a moment
 *       earlier; should that link break right after, the leader's last news of us may be up to
 *       {@code max(probe period, tick/2)} (plus a ping's transit) older than {@code s}. That is within {@code T/8}
 *       whenever the tick is at most about {@code T/4}: Beehive's default 10 s session on ZooKeeper's default 2 s
 *       tick, or any session on the deploy scripts' 100 ms tick. (With a session of fewer than 4 ticks, a partition
 *       between two ZooKeeper servers at that very moment could let the lease outlast the session by up to the
 *       rest of a half tick; the {@link Fence} still refuses the old leader's writes.);</li>
 *   <li>the election's own reaction: its deposition timer may fire late on a busy thread (the answers do not wait
 *       for it: tens of milliseconds under load here);</li>
 *   <li>the rate difference between our monotonic clock and the server's (parts per million: microseconds over a
 *       session).</li>
 * </ul>
 * The server rounds every expiry up to its next tick, and a new ensemble leader gives every session a fresh timeout
 * when it takes over, which only add to the lease's slack. So a ZooKeeper leader election, which disconnects every
 * client for a second or two, leaves the lease running (it ends {@code 7T/8} after the last answered probe was sent,
 * so at least {@code 0.775 T} after the last answer: 3.1 s with a 4 s session, 7.75 s with 10 s), while a leader cut
 * off for good leaves office before the server can expire its session and let another be elected. Whatever the
 * timing, the {@link Fence} makes a write of a leader whose node is gone fail.
 *
 * <h2>Lifecycle</h2>
 * <pre>
 * NONE ──grant──▶ HELD ──(clock passes the end)──▶ EXPIRED
 *                  │ ▲ renew (a later end)            │
 *                  └─┘                                │
 * HELD, EXPIRED ──revoke──▶ NONE
 * </pre>
 * A renewal only ever moves the end later, and only for the session the lease was granted for: an answer on a new
 * session (after an expiry, Curator opens another) says nothing about the one that holds the latch node. An
 * expired lease is not revived by a late answer either: once {@link #held()} has said no, the term is over.
 */
final class SessionLease {
    /** {@code M = T / MARGIN_DIVISOR}, see the class comment. */
    static final int MARGIN_DIVISOR = 8;

    enum State { NONE, HELD, EXPIRED }

    /** One grant: the session it is about, its validity {@code T − M}, and its current end on the lease's clock. */
    private record Grant(long sessionId, long validityNanos, long expiresAtNanos) {
    }

    private final LongSupplier nanoClock;
    private final AtomicReference<Grant> grant = new AtomicReference<>();

    SessionLease() {
        this(System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds (tests pass their own) */
    SessionLease(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The lease's clock: what callers read just before sending a request whose answer will {@link #renew}. */
    long now() {
        return nanoClock.getAsLong();
    }

    /**
     * Starts a lease for {@code sessionId} on the proof of a request sent at {@code sentAtNanos} and answered.
     *
     * @param sessionTimeout the timeout the server negotiated for that session
     */
    void grant(long sessionId, Duration sessionTimeout, long sentAtNanos) {
        long timeout = sessionTimeout.toNanos();
        long validity = timeout - timeout / MARGIN_DIVISOR;
        grant.set(new Grant(sessionId, validity, sentAtNanos + validity));
    }

    /**
     * Extends the lease on the proof of another answered request of {@code sessionId}, sent at {@code sentAtNanos}.
     *
     * @return true if the lease now ends later than before
     */
    boolean renew(long sessionId, long sentAtNanos) {
        while (true) {
            Grant current = grant.get();
            if (current == null || current.sessionId() != sessionId) {
                return false;
            }
            long end = sentAtNanos + current.validityNanos();
            // Not revived once over: a term whose answers have said "not leader" must not say "leader" again.
            if (end - current.expiresAtNanos() <= 0 || !heldAt(current, now())) {
                return false;
            }
            if (grant.compareAndSet(current, new Grant(sessionId, current.validityNanos(), end))) {
                return true;
            }
        }
    }

    /** Ends the lease (the term is over). */
    void revoke() {
        grant.set(null);
    }

    /** Whether the lease holds at this very moment. */
    boolean held() {
        Grant current = grant.get();
        return current != null && heldAt(current, now());
    }

    State state() {
        Grant current = grant.get();
        if (current == null) {
            return State.NONE;
        }
        return heldAt(current, now()) ? State.HELD : State.EXPIRED;
    }

    /** The session the lease is about, or 0 (never a ZooKeeper session id) without a lease. */
    long sessionId() {
        Grant current = grant.get();
        return current == null ? 0 : current.sessionId();
    }

    /** The lease's end on its clock, or 0 without a lease. */
    long expiresAtNanos() {
        Grant current = grant.get();
        return current == null ? 0 : current.expiresAtNanos();
    }

    /** How long ago the request that proved the session alive most recently was sent; zero without a lease. */
    Duration sinceLastProof() {
        Grant current = grant.get();
        if (current == null) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, now() - (current.expiresAtNanos() - current.validityNanos())));
    }

    /** How long the lease still holds; zero once expired or without a lease. */
    Duration remaining() {
        Grant current = grant.get();
        if (current == null) {
            return Duration.ZERO;
        }
        long left = current.expiresAtNanos() - now();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    private static boolean heldAt(Grant grant, long nowNanos) {
        return nowNanos - grant.expiresAtNanos() < 0;
    }
}
