package io.beehive.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The task processes the agents run (local, or real ones, whose work directories up.sh puts under the same
 * {@code mesos/work}), found through their sandboxes under the run directory. The deploy tests'
 * commands write their shell's pid to {@code $MESOS_SANDBOX/task.pid} and then {@code exec} the real work, so that
 * pid is the task's process.
 */
final class TaskSandboxes {
    /** A command that records its pid and then sleeps for an hour (a long-running service task). */
    static final String PID_AND_SLEEP = "echo $$ > \"$MESOS_SANDBOX/task.pid\"; exec sleep 3600";

    private TaskSandboxes() {}

    /** Waits for the task's pid file and returns its live process. */
    static ProcessHandle awaitProcess(LocalDeployment deployment, String taskId) {
        return await("the process of task " + taskId).atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> pidFile(deployment, taskId)
                .flatMap(f -> ProcessHandle.of(Long.parseLong(read(f).trim()))), Optional::isPresent)
            .orElseThrow();
    }

    /** The task's sandbox directory (where its pid file is), once the task has written it. */
    static Path awaitSandbox(LocalDeployment deployment, String taskId) {
        return await("the sandbox of task " + taskId).atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> pidFile(deployment, taskId), Optional::isPresent).orElseThrow().getParent();
    }

    private static Optional<Path> pidFile(LocalDeployment deployment, String taskId) throws IOException {
        Path work = deployment.runDir().resolve("mesos/work");
        if (!Files.isDirectory(work)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(work)) {
            return files.filter(p -> p.getFileName().toString().equals("task.pid") && p.toString().contains(taskId))
                .filter(p -> !read(p).isBlank()).findFirst();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
