package io.beehive.local.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's processes as one unit, as Mesos's posix launcher keeps them: the task starts through {@code setsid}, so
 * it leads a session and process group of its own that every process it forks inherits, even one whose parent
 * exits ({@code (cmd &)}, a daemonising double fork). A kill signals the whole group. Listing descendants
 * instead misses such orphans (re-parented to init, no longer anyone's descendant) and any child forked between
 * the listing and the signal.
 */
final class ProcessGroup {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path KILL = Path.of("/usr/bin/kill");
    /** Without setsid and kill(1) (not Linux) tasks fall back to signalling the process and its descendants. */
    static final boolean AVAILABLE = Files.isExecutable(SETSID) && Files.isExecutable(KILL);

    private ProcessGroup() {}

    /** The argv that starts {@code argv} as the leader of a new session (same pid: setsid execs in place). */
    static List<String> leading(List<String> argv) {
        if (!AVAILABLE) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv.size() + 1);
        out.add(SETSID.toString());
        out.addAll(argv);
        return out;
    }

    /**
     * Signals the task's whole process tree: the leader first (before setsid has run it is alone: nothing forked
     * yet), then its group, then any descendant still listed (a child that left the group on its own).
     */
    static void signal(ProcessHandle leader, boolean force) {
        if (force) {
            leader.destroyForcibly();
        } else {
            leader.destroy();
        }
        if (AVAILABLE) {
            try {
                Process kill = new ProcessBuilder(KILL.toString(), "-s", force ? "KILL" : "TERM", "--",
                    "-" + leader.pid()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
                if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                    kill.destroyForcibly();
                }
            } catch (IOException e) {
                LOG.warn("cannot signal process group {}: {}", leader.pid(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leader.descendants().forEach(d -> {
            if (force) {
                d.destroyForcibly();
            } else {
                d.destroy();
            }
        });
    }
}
