package io.beehive.election;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reading Curator LeaderLatch child names, e.g. {@code _c_3f2a…-latch-0000000042}. */
final class LatchNodes {
    private static final String MARKER = "latch-";

    private LatchNodes() {
    }

    /** The ZooKeeper sequence number at the end of a latch node name (the leader epoch). */
    static long sequenceOf(String nodeName) {
        int at = nodeName.lastIndexOf(MARKER);
        if (at < 0) {
            throw new IllegalArgumentException("not a latch node: " + nodeName);
        }
        try {
            return Long.parseLong(nodeName.substring(at + MARKER.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a latch node: " + nodeName, e);
        }
    }

    /** The child that leads: the lowest sequence number (what LeaderLatch itself decides by). */
    static Optional<String> lowest(List<String> children) {
        return children.stream()
                .filter(name -> name.contains(MARKER))
                .min(Comparator.comparingLong(LatchNodes::sequenceOf));
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
