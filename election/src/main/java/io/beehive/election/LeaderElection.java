package io.beehive.election;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's seat in the leader election: a Curator {@link LeaderLatch} on {@code <root>/leader}, turned
 * into the explicit lifecycle of {@link LeadershipState} and the callbacks of {@link LeadershipListener}.
 *
 * <h2>Leadership is a lease</h2>
 * A leader may act only while it can prove that the ZooKeeper session holding its latch node is alive: a
 * {@link SessionLease}, granted on taking office (from the fenced write that publishes the term) and renewed by a
 * {@link LeaseProbe} every tenth of the session timeout; it ends an eighth of the session timeout before the server
 * could expire the session (the arithmetic is in {@link SessionLease}). {@link #isLeader()} and {@link #fence()}
 * compare the lease's end with the clock each time they are asked, so a process that wakes from a pause (SIGSTOP, a
 * long GC) past its lease answers "not leader" at once, before the election's own timer has fired.
 *
 * <h2>SUSPENDED and LOST</h2>
 * The client uses {@code SessionConnectionStateErrorPolicy} (see {@link ZooKeeperClients}), so the latch keeps
 * leadership through SUSPENDED. On SUSPENDED a leader moves to {@link LeadershipState#SUSPENDED} and
 * {@link LeadershipListener#suspended()} is called at once: the scheduler stops launching and writing, but stays
 * leader. On RECONNECTED the latch node is re-read; if it still exists and is still the lowest (and the lease still
 * holds), {@code resumed()} follows, otherwise {@code deposed(LATCH_LOST)}. A leader whose lease runs out, SUSPENDED
 * or not (an ensemble that stops answering a connected client proves nothing either), leaves office by itself with
 * {@code deposed(LEASE_EXPIRED)} and rejoins with a fresh latch; LOST (a real session expiry, or Curator giving the
 * session up) ends a term with {@code deposed(SESSION_LOST)} if nothing ended it earlier.
 *
 * <p>Why a lease and not a limit on SUSPENDED: the time that matters is how long ago the server last heard from us,
 * not how long ago the client noticed trouble. A silent partition is noticed only after the client's read timeout
 * (2/3 of the session after it last heard from the server), a ZooKeeper leader election disconnects every client
 * at once with most of the session still to run. The old rule (leave office 30 % of the session after SUSPENDED)
 * lost office in every ensemble leader election longer than that (1.2 s with a 4 s session), and a rolling restart
 * of ZooKeeper failed Beehive over up to three times; the lease rides such an election out (it ends 7/8 of the
 * session after the last answered probe was sent, a probe going every 1/10: at least 0.775 of the session of
 * silence) and still ends before the server can expire the session. Curator's LOST is not relied upon for safety:
 * it travels through the ZooKeeper client's event thread, which we have seen held for a second and more
 * ({@code LateSessionLossTest}). Whatever the timing, the {@link Fence} makes a write of a leader whose latch node
 * is gone fail, and no successor can be elected while that node exists.
 *
 * <h2>Threads</h2>
 * Every latch, connection and timer event is handled on one dedicated thread, which also runs the callbacks:
 * they never overlap and arrive in the order the events were handled. A latch that reports leadership is
 * believed only after its node is read back as the lowest child, so a late isLeader from a node that has
 * since been replaced never produces a stale fence. The lease's probes are sent from a timer thread of their own
 * and their answers update the lease on the ZooKeeper client's event thread, so a slow callback cannot starve the
 * lease; only the deposition at its end waits for the callback thread.
 *
 * <h2>Rejoining</h2>
 * After deposition the replica contends again by itself: on LOST the old latch is closed (its guaranteed
 * delete removes the old node once a new session exists) and a fresh latch node is created.
 *
 * <h2>Leader information</h2>
 * On election the leader writes {@link LeaderInfo} as JSON to the persistent node {@code <root>/leader-info},
 * in one transaction with {@code check(latchPath)}, so a deposed leader cannot overwrite its successor's entry.
 * {@link #currentLeader()} reads it back on any replica and reports it only while its latch node still exists.
 * The latch parent {@code <root>/leader} is created persistent (not a Curator container), so the sequence
 * numbers used as epochs keep growing even when every replica has gone for a while.
 */
public final class LeaderElection implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How often a follower checks that its latch is really in the race (see {@link #checkParticipation()}). */
    private static final Duration PARTICIPATION_CHECK = Duration.ofSeconds(1);
    /** Consecutive failed checks before rejoining: one miss may be a node creation still under way. */
    private static final int PARTICIPATION_MISSES = 3;

    private final CuratorFramework client;
    private final ElectionSettings settings;
    private final LeadershipListener listener;
    private final LeaderInfoStore leaderInfo;
    private final ElectionThread events;
    private final ExecutorService termLimitAbdicator;
    private final SessionLease lease = new SessionLease();
    private final LeaseProbe leaseProbe;
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);

    private volatile LeadershipState state = LeadershipState.LATENT;
    private volatile Fence fence;

    // Confined to the event thread.
    private LeaderLatch latch;
    private ScheduledFuture<?> termLimit;
    private ScheduledFuture<?> leaseCheck;
    private int participationMisses;

    /**
     * @param client   a started client from {@link ZooKeeperClients#create}
     * @param settings root path, participant id (the advertised API address), hand-off wait, term limit
     * @param listener receives the callbacks, on the election's own thread
     */
    public LeaderElection(CuratorFramework client, ElectionSettings settings, LeadershipListener listener) {
        this.client = client;
        this.settings = settings;
        this.listener = listener;
        this.leaderInfo = new LeaderInfoStore(client, settings);
        this.events = new ElectionThread("beehive-election-" + settings.participantId());
        this.leaseProbe = new LeaseProbe(client, settings.latchPath(), lease, settings.participantId());
        this.termLimitAbdicator = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "beehive-term-limit-" + settings.participantId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Joins the election as a follower. The ZooKeeper paths are created if missing. */
    public void start() {
        leaderInfo.ensurePaths();
        events.call("start", () -> {
            moveTo(LeadershipState.FOLLOWING);
            client.getConnectionStateListenable().addListener(connectionListener, events.executor());
            latch = joinLatch();
            LOG.info("{} joined the election at {}", settings.participantId(), settings.latchPath());
            return null;
        });
        events.scheduleEvery("participation check", this::checkParticipation, PARTICIPATION_CHECK);
    }

    /**
     * Where the lifecycle stands, as the election's thread last moved it. A leader whose lease has just run out is
     * still LEADING or SUSPENDED here until that thread deposes it: ask {@link #isLeader()} whether to act as leader.
     */
    public LeadershipState state() {
        return state;
    }

    /**
     * Whether this replica leads at this very moment: it holds office (LEADING or SUSPENDED) and its lease, checked
     * against the clock now, still holds. This is the answer for anything that acts or speaks as the leader (a
     * health check, letting a write through): it never says yes past the lease, even in a process that has just
     * woken from a pause and not yet run any of its timers.
     */
    public boolean isLeader() {
        return state.isLeader() && lease.held();
    }

    /** The current term's fence while this replica leads (also while SUSPENDED), under the same rule as isLeader. */
    public Optional<Fence> fence() {
        Fence current = fence;
        return isLeader() ? Optional.ofNullable(current) : Optional.empty();
    }

    /** How long the lease still holds (zero when not leading); for logs and views, not for decisions. */
    public Duration leaseRemaining() {
        return state.isLeader() ? lease.remaining() : Duration.ZERO;
    }

    public String participantId() {
        return settings.participantId();
    }

    /**
     * The session timeout the server granted: how long a crashed leader keeps office before its node expires.
     */
    public Duration sessionTimeout() {
        try {
            return Duration.ofMillis(client.getZookeeperClient().getZooKeeper().getSessionTimeout());
        } catch (Exception e) {
            throw new IllegalStateException("no ZooKeeper session", e);
        }
    }

    /**
     * Who leads, as published by the leader, read from ZooKeeper now (two reads, no retries). Empty when no
     * leader is known: none elected yet, the last one's latch node is gone and no successor has written yet,
     * or ZooKeeper cannot be reached.
     */
    public Optional<LeaderInfo> currentLeader() {
        return leaderInfo.current();
    }

    /**
     * Leaves office on purpose: deletes the latch node first (so a follower is elected at once), calls
     * {@code deposed(ABDICATED)}, waits up to the hand-off timeout for a successor to publish its term, then
     * rejoins as a follower.
     *
     * @return true if a successor took office within the hand-off timeout; false if this replica was not leader,
     *         no other replica contends, or the wait ran out
     * @throws IllegalStateException if called from a {@link LeadershipListener} callback
     */
    public boolean abdicate() {
        return abdicateTerm(null);
    }

    /**
     * Leaves the election for good: as {@link #abdicate()} if leading, without rejoining. For SIGTERM.
     * Idempotent.
     */
    @Override
    public void close() {
        events.requireElsewhere("close");
        Fence leftOffice = null;
        try {
            leftOffice = events.call("close", () -> {
                if (state == LeadershipState.CLOSED) {
                    return null;
                }
                Fence current = fence;
                client.getConnectionStateListenable().removeListener(connectionListener);
                // The outgoing leader stops acting (deposed returns) before its node goes: deleting the node
                // first lets a successor be elected while this replica still believes it leads.
                long closing = System.nanoTime();
                boolean led = state.isLeader();
                if (led) {
                    depose(DepositionReason.CLOSED, LeadershipState.CLOSED);
                } else {
                    moveTo(LeadershipState.CLOSED);
                }
                long deposed = System.nanoTime();
                leaveLatch();
                if (led) {
                    LOG.info("{} left the latch {} ms after closing began (the term ended in {} ms)",
                            settings.participantId(), (System.nanoTime() - closing) / 1_000_000,
                            (deposed - closing) / 1_000_000);
                }
                return current;
            });
        } catch (RejectedExecutionException alreadyClosed) {
            return;
        }
        if (leftOffice != null) {
            boolean handedOver = leaderInfo.awaitSuccessor(leftOffice);
            LOG.info("{} closed; hand-off of epoch {} {}", settings.participantId(), leftOffice.epoch(),
                    handedOver ? "complete" : "not confirmed within " + settings.handOffTimeout());
        }
        termLimitAbdicator.shutdownNow();
        leaseProbe.close();
        events.shutdown(CLOSE_TIMEOUT);
    }

    private boolean abdicateTerm(Fence onlyThisTerm) {
        events.requireElsewhere("abdicate");
        Fence leftOffice;
        try {
            leftOffice = events.call("abdicate", () -> {
                Fence current = fence;
                if (!state.isLeader() || (onlyThisTerm != null && !onlyThisTerm.equals(current))) {
                    return null;
                }
                LOG.info("{} abdicates (epoch {})", settings.participantId(), current.epoch());
                depose(DepositionReason.ABDICATED, LeadershipState.HANDING_OFF); // stop acting, then release
                leaveLatch();
                return current;
            });
        } catch (RejectedExecutionException closed) {
            return false;
        }
        if (leftOffice == null) {
            return false;
        }
        boolean handedOver = leaderInfo.awaitSuccessor(leftOffice);
        try {
            events.call("rejoin after abdication", () -> {
                if (state == LeadershipState.HANDING_OFF) {
                    moveTo(LeadershipState.FOLLOWING);
                    latch = joinLatch();
                }
                return null;
            });
        } catch (RejectedExecutionException closed) {
            // close() ran meanwhile: nothing to rejoin.
        }
        LOG.info("{}: hand-off of epoch {} {}", settings.participantId(), leftOffice.epoch(),
                handedOver ? "complete" : "not confirmed within " + settings.handOffTimeout());
        return handedOver;
    }

    // ---- event handlers (event thread) ----

    private void onLatchLeader(LeaderLatch source) {
        if (source != latch || state != LeadershipState.FOLLOWING) {
            return;
        }
        tryTakeOffice();
    }

    private void onLatchNotLeader(LeaderLatch source) {
        // Under the session error policy the latch drops a leader only on LOST, so that is the reason to report.
        if (source == latch && state.isLeader()) {
            depose(DepositionReason.SESSION_LOST, LeadershipState.FOLLOWING);
        }
    }

    private void onConnectionState(ConnectionState newState) {
        events.guarded("connection " + newState, () -> {
            switch (newState) {
                case SUSPENDED -> {
                    if (state == LeadershipState.LEADING) {
                        moveTo(LeadershipState.SUSPENDED);
                        LOG.warn("{}: ZooKeeper connection suspended; leadership (epoch {}) in doubt: not acting, "
                                + "still leader for at most {} ms under its lease unless the connection is confirmed",
                                settings.participantId(), fence.epoch(), lease.remaining().toMillis());
                        deliver("suspended", listener::suspended);
                    }
                }
                case RECONNECTED -> {
                    if (state == LeadershipState.SUSPENDED) {
                        leaseProbe.probeNow(); // renew the lease as soon as the session answers again
                        confirmAfterReconnect();
                    } else if (state == LeadershipState.FOLLOWING && latch != null && latch.hasLeadership()) {
                        tryTakeOffice(); // an earlier isLeader could not be confirmed while disconnected
                    }
                }
                case LOST -> {
                    if (state.isLeader()) {
                        depose(DepositionReason.SESSION_LOST, LeadershipState.FOLLOWING);
                    }
                    if (state == LeadershipState.FOLLOWING) {
                        rejoin("session lost");
                    }
                }
                default -> {
                    // CONNECTED (first connection) and READ_ONLY change nothing for leadership.
                }
            }
        });
    }

    private void onOwnNodeDeleted(Fence deleted) {
        if (deleted.equals(fence) && state.isLeader()) {
            LOG.warn("{}: latch node {} was deleted while leading", settings.participantId(), deleted.latchPath());
            depose(DepositionReason.LATCH_LOST, LeadershipState.FOLLOWING);
            rejoin("latch node deleted");
        }
    }

    /**
     * The lease's own timer, armed for the lease's end and re-armed for the new end whenever the lease was renewed
     * meanwhile (about once per session timeout). Only the deposition waits for it: {@link #isLeader()} already
     * says no from the lease's end on.
     */
    private void onLeaseCheck(Fence term) {
        leaseCheck = null;
        if (!term.equals(fence) || !state.isLeader()) {
            return;
        }
        if (lease.held()) {
            armLeaseCheck(term);
            return;
        }
        leaseExpired(term);
    }

    private void leaseExpired(Fence term) {
        LOG.warn("{}: lease expired: the latest answer from ZooKeeper proves the session alive as of {} ms ago "
                        + "({}); leaving office (epoch {}) before ZooKeeper could expire the session and elect another",
                settings.participantId(), lease.sinceLastProof().toMillis(),
                state == LeadershipState.SUSPENDED ? "connection suspended" : "no answer, or a pause of this process",
                term.epoch());
        depose(DepositionReason.LEASE_EXPIRED, LeadershipState.FOLLOWING);
        rejoin("lease expired");
    }

    private void armLeaseCheck(Fence term) {
        leaseCheck = events.schedule("lease check", () -> onLeaseCheck(term), lease.remaining());
    }

    private void onTermLimit(Fence term) {
        if (term.equals(fence) && state.isLeader()) {
            LOG.info("{}: term limit of {} reached (epoch {}); abdicating", settings.participantId(),
                    settings.maxTimeInOffice().orElseThrow(), term.epoch());
            termLimitAbdicator.execute(() -> abdicateTerm(term));
        }
    }

    /**
     * LeaderLatch gives up on a background operation that keeps failing (it only logs): its node may never be
     * created, or the watch on its predecessor never set, and the replica would silently stop contending. So a
     * connected follower checks that its node exists and that it is not the lowest node without being told;
     * after {@value #PARTICIPATION_MISSES} bad checks in a row it rejoins with a fresh latch. A connected but
     * still SUSPENDED leader (its check on RECONNECTED failed) retries that check here.
     */
    private void checkParticipation() {
        boolean connected = client.getZookeeperClient().isConnected();
        if (state == LeadershipState.SUSPENDED && connected) {
            confirmAfterReconnect(); // in case the check on RECONNECTED itself failed
            return;
        }
        if (state != LeadershipState.FOLLOWING || latch == null || !connected) {
            participationMisses = 0;
            return;
        }
        String ourPath = latch.getOurPath();
        boolean healthy;
        try {
            ZooKeeper zk = zooKeeper();
            List<String> children = zk.getChildren(settings.latchPath(), false);
            String ourName = ourPath == null ? null : LatchNodes.nameOf(ourPath);
            healthy = ourName != null && children.contains(ourName)
                    && !LatchNodes.lowest(children).orElse("").equals(ourName);
        } catch (KeeperException e) {
            participationMisses = 0; // connection trouble: the connection events take over
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (latch.hasLeadership()) {
            tryTakeOffice(); // the latch said so earlier, but it could not be confirmed then
            healthy = state == LeadershipState.LEADING;
        }
        if (healthy) {
            participationMisses = 0;
            return;
        }
        if (++participationMisses >= PARTICIPATION_MISSES) {
            participationMisses = 0;
            rejoin("latch node " + ourPath + " missing, or lowest without being told");
        }
    }

    // ---- transitions (event thread) ----

    private void tryTakeOffice() {
        String ourPath = latch.getOurPath();
        if (ourPath == null) {
            return; // the latch is (re)creating its node and will report again once that node leads
        }
        try {
            ZooKeeper zk = zooKeeper();
            List<String> children = zk.getChildren(settings.latchPath(), false);
            String ourName = LatchNodes.nameOf(ourPath);
            Optional<String> lowest = LatchNodes.lowest(children);
            if (lowest.isEmpty() || !lowest.get().equals(ourName)) {
                LOG.info("{}: latch reported leadership, but the lowest node is {}, not {}; waiting",
                        settings.participantId(), lowest.orElse("(none)"), ourName);
                return;
            }
            Fence newFence = new Fence(ourPath, LatchNodes.sequenceOf(ourName));
            // The fenced write that publishes the term is the lease's first proof: answered, it went through the
            // ensemble's leader, which had heard from our session no earlier than it was sent.
            long sentAt = leaderInfo.publish(newFence, lease::now);
            long owner = watchOwnNode(zk, newFence);
            if (owner != zk.getSessionId()) {
                LOG.warn("{}: latch node {} belongs to session 0x{}, not to this client's 0x{}; waiting",
                        settings.participantId(), ourPath, Long.toHexString(owner),
                        Long.toHexString(zk.getSessionId()));
                return;
            }
            Duration sessionTimeout = Duration.ofMillis(zk.getSessionTimeout());
            lease.grant(owner, sessionTimeout, sentAt);
            if (!lease.held()) {
                lease.revoke(); // taking office took longer than the lease (a pause): the participation check retries
                LOG.warn("{}: confirming leadership took longer than its lease; trying again", settings.participantId());
                return;
            }
            fence = newFence;
            moveTo(LeadershipState.LEADING);
            leaseProbe.start(sessionTimeout);
            armLeaseCheck(newFence);
            LOG.info("{} elected leader, epoch {} ({}); lease {} ms, renewed every {} ms", settings.participantId(),
                    newFence.epoch(), ourPath, lease.remaining().toMillis(),
                    sessionTimeout.toMillis() / LeaseProbe.PROBES_PER_SESSION);
            scheduleTermLimit(newFence);
            deliver("elected", () -> listener.elected(newFence));
        } catch (KeeperException.NoNodeException e) {
            LOG.warn("{}: latch node {} vanished before taking office; rejoining", settings.participantId(),
                    ourPath);
            rejoin("latch node vanished");
        } catch (KeeperException e) {
            // Connection trouble: RECONNECTED retries while the latch still reports leadership.
            LOG.warn("{}: cannot confirm leadership yet: {}", settings.participantId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the session that owns the node (it is ephemeral) */
    private long watchOwnNode(ZooKeeper zk, Fence term) throws KeeperException, InterruptedException {
        Watcher onDelete = event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                events.execute("latch node deleted", () -> onOwnNodeDeleted(term));
            }
        };
        Stat stat = zk.exists(term.latchPath(), onDelete);
        if (stat == null) {
            throw new KeeperException.NoNodeException(term.latchPath());
        }
        return stat.getEphemeralOwner();
    }

    private void confirmAfterReconnect() {
        Fence current = fence;
        if (!lease.held()) {
            leaseExpired(current); // reconnected, but too late: the server may have expired the session meanwhile
            return;
        }
        try {
            ZooKeeper zk = zooKeeper();
            Optional<String> lowest = LatchNodes.lowest(zk.getChildren(settings.latchPath(), false));
            if (lowest.isPresent() && lowest.get().equals(LatchNodes.nameOf(current.latchPath()))) {
                moveTo(LeadershipState.LEADING);
                LOG.info("{}: ZooKeeper connection back; still leader (epoch {}), lease {} ms",
                        settings.participantId(), current.epoch(), lease.remaining().toMillis());
                deliver("resumed", listener::resumed);
            } else {
                LOG.warn("{}: after reconnecting, latch node {} no longer leads", settings.participantId(),
                        current.latchPath());
                depose(DepositionReason.LATCH_LOST, LeadershipState.FOLLOWING);
                rejoin("latch node no longer leads");
            }
        } catch (KeeperException e) {
            LOG.warn("{}: cannot confirm leadership after reconnect, staying suspended: {}",
                    settings.participantId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void depose(DepositionReason reason, LeadershipState next) {
        Fence ended = fence;
        if (termLimit != null) {
            termLimit.cancel(false);
            termLimit = null;
        }
        if (leaseCheck != null) {
            leaseCheck.cancel(false);
            leaseCheck = null;
        }
        moveTo(next); // isLeader() says no from here on, before the lease is even revoked
        fence = null;
        leaseProbe.stop();
        lease.revoke();
        LOG.warn("{} deposed ({}), epoch {}", settings.participantId(), reason, ended == null ? "?" : ended.epoch());
        deliver("deposed", () -> listener.deposed(reason));
    }

    private void scheduleTermLimit(Fence term) {
        settings.maxTimeInOffice().ifPresent(max ->
                termLimit = events.schedule("term limit", () -> onTermLimit(term), max));
    }

    private void rejoin(String why) {
        LOG.info("{} rejoins the election as follower ({})", settings.participantId(), why);
        closeLatchQuietly();
        latch = joinLatch();
    }

    /**
     * Deletes our latch node now (so a successor is elected without waiting) and closes the latch. Called only
     * after {@code deposed} has returned, so terms never overlap.
     */
    private void leaveLatch() {
        if (latch == null) {
            return;
        }
        String ourPath = latch.getOurPath();
        if (ourPath != null) {
            try {
                zooKeeper().delete(ourPath, -1);
            } catch (KeeperException.NoNodeException alreadyGone) {
                // Nothing to do.
            } catch (Exception e) {
                // The latch's own guaranteed delete (on close) keeps trying.
                LOG.warn("{}: could not delete latch node {} now: {}", settings.participantId(), ourPath,
                        e.toString());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        closeLatchQuietly();
    }

    private LeaderLatch joinLatch() {
        LeaderLatch fresh = new LeaderLatch(client, settings.latchPath(), settings.participantId(),
                LeaderLatch.CloseMode.SILENT);
        fresh.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                events.guarded("isLeader", () -> onLatchLeader(fresh));
            }

            @Override
            public void notLeader() {
                events.guarded("notLeader", () -> onLatchNotLeader(fresh));
            }
        }, events.executor());
        try {
            fresh.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the leader latch at " + settings.latchPath(), e);
        }
        return fresh;
    }

    private void closeLatchQuietly() {
        if (latch == null) {
            return;
        }
        LeaderLatch closing = latch;
        latch = null;
        if (closing.getState() == LeaderLatch.State.STARTED) {
            try {
                closing.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: closing the leader latch failed: {}", settings.participantId(), e.toString());
            }
        }
    }

    private void moveTo(LeadershipState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("illegal leadership transition " + state + " -> " + next);
        }
        LOG.debug("{}: {} -> {}", settings.participantId(), state, next);
        state = next;
    }

    // ---- plumbing ----

    private ZooKeeper zooKeeper() throws KeeperException {
        return RawZooKeeper.of(client);
    }

    private void deliver(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("{}: leadership listener failed in {}()", settings.participantId(), callback, e);
        }
    }
}
