package io.beehive.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the real-Mesos suite reports and checks about the machine: each scenario's result and figures as one line
 * beginning {@code REAL-MESOS} (grep the build output for them), and the processes left in a directory.
 */
final class RealMesosReport {
    private RealMesosReport() {}

    static void line(String format, Object... args) {
        System.out.println("REAL-MESOS " + String.format(format, args));
    }

    /**
     * Live processes whose working directory or command line lies under {@code dir}: after down.sh there must be
     * none (a real agent's executors and tasks outlive it; down.sh stops them by pid).
     */
    static List<String> processesUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            String cwd;
            try {
                cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")) + "/";
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                cwd = "";
            }
            if (cwd.startsWith(prefix) || cmd.contains(prefix)) {
                found.add(p.pid() + " " + cmd);
            }
        });
        return found;
    }
}
