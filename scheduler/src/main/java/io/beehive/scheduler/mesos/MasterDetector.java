package io.beehive.scheduler.mesos;

import java.net.URI;
import java.util.Optional;

/**
 * Finds the leading master's base URI (e.g. {@code http://host:5050}). Two ways, as mesos-v1-scheduler.md §4.5:
 * a static list walked on failure and corrected by 307 redirects, or the masters' own ZooKeeper group.
 */
public interface MasterDetector extends AutoCloseable {

    /** The master to try now; empty if no leader is known (then the client backs off and asks again). */
    Optional<URI> current();

    /** The master did not answer or answered 503: try another one next time. */
    void failed(URI master);

    /** A master redirected us (307) to this base URI: it is the leader as far as anyone knows. */
    void redirectedTo(URI master);

    /** Called (on any thread) whenever the detector learns that the leader changed by itself, e.g. from ZooKeeper. */
    void onLeaderChange(Runnable listener);

    @Override
    void close();

    /**
     * Parses a master specification: {@code host:port[,host:port…]} or {@code zk://h1:p1,h2:p2/path}.
     *
     * @param scheme {@code http} or {@code https}, used for every master URI
     */
    static MasterDetector fromSpec(String spec, String scheme) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("master specification is empty");
        }
        String trimmed = spec.trim();
        if (trimmed.startsWith("zk://")) {
            return ZooKeeperMasterDetector.fromSpec(trimmed, scheme);
        }
        return StaticMasterDetector.fromSpec(trimmed, scheme);
    }
}
