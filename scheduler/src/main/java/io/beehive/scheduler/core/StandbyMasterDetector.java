package io.beehive.scheduler.core;

import io.beehive.scheduler.mesos.MasterDetector;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One master detector for the whole life of a replica, started before it is elected, lent to each term.
 *
 * <p>Why: a detector that starts when a replica is elected (a new ZooKeeper session to the masters' group, then
 * the first read of it) makes the new leader's first SUBSCRIBE find no leading master and back off; that cost
 * seconds of every fail-over. A standby that already follows the masters' group subscribes at once. The same holds
 * for a static master list: what one term learned (which master failed, where a 307 pointed) serves the next.
 *
 * <p>Each term gets a {@link #lease()}: closing it (the Mesos client closes its detector with itself) only detaches
 * that term's listeners; the shared detector is closed by {@link #close()} when the replica stops.
 */
public final class StandbyMasterDetector implements AutoCloseable {
    private final MasterDetector shared;
    private final List<Lease> leases = new CopyOnWriteArrayList<>();

    public StandbyMasterDetector(MasterDetector shared) {
        this.shared = shared;
        shared.onLeaderChange(() -> leases.forEach(Lease::leaderChanged));
    }

    /** Starts following the masters given in the connection (http; the client's redirects keep their scheme). */
    public static StandbyMasterDetector follow(MesosConnection mesos) {
        return new StandbyMasterDetector(MasterDetector.fromSpec(mesos.masters(), "http"));
    }

    /** The leading master as known now, without waiting (what a term will try first). */
    public Optional<URI> current() {
        return shared.current();
    }

    /** A view of the shared detector for one Mesos client; closing it leaves the shared detector running. */
    public MasterDetector lease() {
        Lease lease = new Lease();
        leases.add(lease);
        return lease;
    }

    @Override
    public void close() {
        leases.clear();
        shared.close();
    }

    private final class Lease implements MasterDetector {
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        @Override
        public Optional<URI> current() {
            return shared.current();
        }

        @Override
        public void failed(URI master) {
            if (!closed) {
                shared.failed(master);
            }
        }

        @Override
        public void redirectedTo(URI master) {
            if (!closed) {
                shared.redirectedTo(master);
            }
        }

        @Override
        public void onLeaderChange(Runnable listener) {
            listeners.add(listener);
        }

        void leaderChanged() {
            if (!closed) {
                listeners.forEach(Runnable::run);
            }
        }

        @Override
        public void close() {
            closed = true;
            listeners.clear();
            leases.remove(this);
        }
    }
}
