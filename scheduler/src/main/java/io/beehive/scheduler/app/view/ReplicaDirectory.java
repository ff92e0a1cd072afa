package io.beehive.scheduler.app.view;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The replicas taking part in the election: the Curator {@code LeaderLatch} participants under
 * {@code <root>/leader}, whose node data is each replica's advertised API address. A replica appears here from the
 * moment it joins the election until its ZooKeeper session ends (a crashed one lingers for the session timeout).
 */
public final class ReplicaDirectory {
    private static final String MARKER = "latch-";

    private final CuratorFramework zookeeper;
    private final String latchPath;

    public ReplicaDirectory(CuratorFramework zookeeper, String root) {
        this.zookeeper = zookeeper;
        this.latchPath = root + "/leader";
    }

    /** Participants in election order (the first is next in line, or leading). */
    public List<Participant> participants() {
        List<String> children;
        try {
            children = zookeeper.getChildren().forPath(latchPath);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new StateUnavailableException("cannot list " + latchPath + ": " + e.getMessage(), e);
        }
        List<Participant> out = new ArrayList<>();
        for (String child : children) {
            int at = child.lastIndexOf(MARKER);
            if (at < 0) {
                continue;
            }
            try {
                byte[] data = zookeeper.getData().forPath(latchPath + "/" + child);
                long sequence = Long.parseLong(child.substring(at + MARKER.length()));
                out.add(new Participant(new String(data, StandardCharsets.UTF_8), sequence));
            } catch (KeeperException.NoNodeException gone) {
                // left the election between the listing and the read
            } catch (NumberFormatException notALatchNode) {
                // someone else's node under the latch parent: not a participant
            } catch (Exception e) {
                throw new StateUnavailableException("cannot read " + latchPath + "/" + child + ": "
                        + e.getMessage(), e);
            }
        }
        out.sort(Comparator.comparingLong(Participant::sequence));
        return out;
    }

    /** @param address the replica's advertised API address ({@code host:port}) */
    public record Participant(String address, long sequence) {
    }
}
