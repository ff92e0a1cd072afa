package io.beehive.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * {@link LocalMesosMain} in a JVM of its own, started from the test classpath: a master process or an agents
 * process of a process-separated cluster. Its output is kept (and copied to {@code <name>.log}) so that tests can
 * read what it printed; it is stopped with a real signal.
 */
final class LocalMesosProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    LocalMesosProcess(String name, Path logDir, String... args) throws IOException {
        this.name = name;
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            LocalMesosMain.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(logDir.resolve(name + ".log")), true);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.println(line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                log.close();
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The rest of the first line the process printed starting with {@code prefix}, waiting for it. */
    String awaitLine(String prefix) {
        return Awaitility.await(name + " printing '" + prefix + "'").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50)).until(() -> line(prefix), Optional::isPresent).orElseThrow();
    }

    private Optional<String> line(String prefix) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + output());
        }
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()));
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the process dies at once, its ZooKeeper session lingers until it expires. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, waited for: its shutdown hook stops what it started. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
