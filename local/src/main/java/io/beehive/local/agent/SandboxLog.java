package io.beehive.local.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's log lines in the sandbox {@code stderr}, where the real command executor logs its check results.
 * Appended, as the task's own stderr is: neither side overwrites the other.
 */
final class SandboxLog {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxLog.class);

    private final Path file;

    SandboxLog(Path file) {
        this.file = file;
    }

    void line(String text) {
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debug("cannot append to {}: {}", file, e.toString());
        }
    }
}
