package io.beehive.scheduler.mesos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A fixed list of masters: start at the first, move on when one fails, jump to wherever a 307 points. */
public final class StaticMasterDetector implements MasterDetector {

    private static final Logger LOG = LoggerFactory.getLogger(StaticMasterDetector.class);

    private final List<URI> masters;
    private int index;
    private URI redirectTarget;

    public StaticMasterDetector(List<URI> masters) {
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("at least one master is needed");
        }
        this.masters = List.copyOf(masters);
    }

    static StaticMasterDetector fromSpec(String spec, String scheme) {
        List<URI> uris = new ArrayList<>();
        for (String part : spec.split(",")) {
            String hostPort = part.trim();
            if (hostPort.startsWith("http://") || hostPort.startsWith("https://")) {
                uris.add(MasterUris.base(URI.create(hostPort)));
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("master '" + hostPort + "' is not host:port");
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("master '" + hostPort + "' has a bad port", e);
            }
            uris.add(MasterUris.of(scheme, hostPort.substring(0, colon), port));
        }
        return new StaticMasterDetector(uris);
    }

    @Override
    public synchronized Optional<URI> current() {
        return Optional.of(redirectTarget != null ? redirectTarget : masters.get(index));
    }

    @Override
    public synchronized void failed(URI master) {
        if (master.equals(redirectTarget)) {
            // The leader we were sent to is gone; go back to asking the configured masters.
            redirectTarget = null;
            return;
        }
        if (master.equals(masters.get(index))) {
            index = (index + 1) % masters.size();
            LOG.info("Master {} unavailable; next candidate {}", master, masters.get(index));
        }
    }

    @Override
    public synchronized void redirectedTo(URI master) {
        redirectTarget = master;
    }

    @Override
    public void onLeaderChange(Runnable listener) {
        // A static list never learns anything by itself.
    }

    @Override
    public void close() {}
}
