package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The deployment of {@code deploy/local/} driven from a test: runs {@code up.sh}, {@code down.sh} and
 * {@code status.sh} on a private run directory and port range, and talks HTTP to HAProxy and to the replicas'
 * admin ports. Everything a test learns about processes comes from the scripts' pid files.
 */
final class LocalDeployment implements AutoCloseable {
    static final int REPLICAS = 3;
    /** The setting (environment variable of the scripts) that makes up.sh run a real Mesos build. */
    static final String REAL_MESOS_HOME = "BEEHIVE_REAL_MESOS_HOME";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path repo;
    private final Path jar;
    private final Path runDir;
    private final int basePort;
    private final Map<String, String> settings;
    private final boolean realMesos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param settings environment for the scripts beyond the run directory and ports: BEEHIVE_ZK_SESSION_TIMEOUT,
     *                 BEEHIVE_CLASSPATH (run from a class path instead of the jar), BEEHIVE_DEPLOY_AGENT_CPUS ...
     */
    LocalDeployment(Path repo, Path jar, Path runDir, Map<String, String> settings) {
        this.repo = repo;
        this.jar = jar;
        this.runDir = runDir;
        this.settings = Map.copyOf(settings);
        this.realMesos = settings.containsKey(REAL_MESOS_HOME);
        this.basePort = freePortRange();
    }

    LocalDeployment(Path repo, Path jar, Path runDir, String sessionTimeout) {
        this(repo, jar, runDir, Map.of("BEEHIVE_ZK_SESSION_TIMEOUT", sessionTimeout));
    }

    /** Result of one script run: exit code and combined output. */
    record ScriptResult(int exitCode, String output) {}

    ScriptResult up() throws IOException, InterruptedException {
        return script("up.sh", Duration.ofMinutes(3));
    }

    ScriptResult status() throws IOException, InterruptedException {
        return script("status.sh", Duration.ofSeconds(60));
    }

    ScriptResult down() throws IOException, InterruptedException {
        return script("down.sh", Duration.ofMinutes(3));
    }

    /** {@code restart.sh NAME...}: stops just these processes, then up.sh starts them again. */
    ScriptResult restart(String... names) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(names));
        return script("restart.sh", Duration.ofMinutes(3), args);
    }

    /** Sends a signal (STOP, CONT, KILL, TERM) to the named process with kill(1). */
    void signal(String name, String signal) throws IOException, InterruptedException {
        ProcessHandle p = process(name).orElseThrow(() -> new IllegalStateException(name + " is not running"));
        int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -" + signal + " " + p.pid() + " (" + name + ") failed: " + rc);
        }
    }

    private ScriptResult script(String name, Duration timeout) throws IOException, InterruptedException {
        return script(name, timeout, List.of());
    }

    private ScriptResult script(String name, Duration timeout, List<String> args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(runDir.getParent(), name, ".out");
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("deploy/local").resolve(name).toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("BEEHIVE_JAR", jar.toString());
        env.put("BEEHIVE_DEPLOY_RUN_DIR", runDir.toString());
        env.put("BEEHIVE_DEPLOY_BASE_PORT", Integer.toString(basePort));
        // a real Mesos only when this deployment asked for one, not because the test's environment names a build
        env.remove(REAL_MESOS_HOME);
        env.putAll(settings);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        System.out.println("--- " + name + " (exit " + p.exitValue() + ")\n" + out);
        return new ScriptResult(p.exitValue(), out);
    }

    URI api(String path) {
        return URI.create("http://127.0.0.1:" + basePort + path);
    }

    URI admin(int replica, String path) {
        return URI.create("http://127.0.0.1:" + (basePort + 90 + replica) + path);
    }

    /** A replica's own API port (not through HAProxy). */
    URI replicaApi(int replica, String path) {
        return URI.create("http://" + replicaAddress(replica) + path);
    }

    /**
     * The Mesos master's base URI ({@code /state}, {@code /health}): the local master, or the real one, which serves
     * {@code /state} as {@code /master/state} while it leads (a master that does not lead answers 307).
     */
    URI mesos(String path) {
        return URI.create("http://127.0.0.1:" + (basePort + 50) + path);
    }

    /** The real Mesos master's process name, "mesos-master" (the local cluster has two, {@link #localMasterProcess}). */
    String masterProcess() {
        requireRealMesos();
        return "mesos-master";
    }

    /** The local cluster's master processes: "mesos-master1" (port base+50) and "mesos-master2" (base+60). */
    String localMasterProcess(int master) {
        requireLocalMesos();
        return "mesos-master" + master;
    }

    /** A local master's base URI; it answers {@code /master/state} while it leads, a 307 to the leader otherwise. */
    URI localMaster(int master, String path) {
        requireLocalMesos();
        return URI.create("http://127.0.0.1:" + (basePort + (master == 1 ? 50 : 60)) + path);
    }

    /** Every Mesos master's base URI + path: the real one, or the local cluster's two. */
    List<URI> mesosMasters(String path) {
        return realMesos ? List.of(mesos(path)) : List.of(localMaster(1, path), localMaster(2, path));
    }

    private void requireLocalMesos() {
        if (realMesos) {
            throw new IllegalStateException("a real Mesos deployment has one master, mesos-master");
        }
    }

    /** A real agent's process name (1..). */
    String agentProcess(int agent) {
        requireRealMesos();
        return "mesos-agent" + agent;
    }

    /** A real agent's base URI ({@code /state}, {@code /files/read}). */
    URI mesosAgent(int agent, String path) {
        requireRealMesos();
        return URI.create("http://127.0.0.1:" + (basePort + 50 + agent) + path);
    }

    private void requireRealMesos() {
        if (!realMesos) {
            throw new IllegalStateException("the local Mesos cluster has no agent processes of its own");
        }
    }

    String zkConnect() {
        return "127.0.0.1:" + zkClientPort(1) + ",127.0.0.1:" + zkClientPort(2) + ",127.0.0.1:" + zkClientPort(3);
    }

    int zkClientPort(int node) {
        return basePort + 10 + node;
    }

    String replicaAddress(int replica) {
        return "127.0.0.1:" + (basePort + 80 + replica);
    }

    int replicaOf(String address) {
        for (int i = 1; i <= REPLICAS; i++) {
            if (replicaAddress(i).equals(address)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no replica at " + address);
    }

    Path runDir() {
        return runDir;
    }

    /** The process up.sh started under this name (zk1, mesos, replica2, haproxy ...), if it is alive. */
    Optional<ProcessHandle> process(String name) throws IOException {
        Path pidFile = runDir.resolve("pids").resolve(name + ".pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
    }

    /** Every process up.sh has a pid file for (zk1, mesos or mesos-master and mesos-agent1.., replica1, haproxy ...). */
    List<String> processNames() throws IOException {
        Path pids = runDir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (var files = Files.list(pids)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                .map(n -> n.substring(0, n.length() - ".pid".length())).sorted().toList();
        }
    }

    /** {@link #process} for lambdas: an unreadable pid file counts as no process. */
    Optional<ProcessHandle> processQuietly(String name) {
        try {
            return process(name);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return get(uri, Duration.ofSeconds(5));
    }

    HttpResponse<String> get(URI uri, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET without waiting: for asking several replicas at once. */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(URI uri, Duration timeout) {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> patch(URI uri, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(URI uri, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** GET returning JSON if the answer is 200, empty otherwise (including a refused connection). */
    Optional<JsonNode> getJson(URI uri) {
        try {
            HttpResponse<String> r = get(uri);
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Every replica's admin state view ({@code /beehive}), for those that answer. */
    List<JsonNode> stateViews() {
        List<JsonNode> views = new ArrayList<>();
        for (int i = 1; i <= REPLICAS; i++) {
            getJson(admin(i, "/beehive")).ifPresent(views::add);
        }
        return views;
    }

    /** Log of a process (zk1, mesos, replica2, haproxy ...). */
    Path logOf(String name) {
        return runDir.resolve("logs").resolve(name + ".log");
    }

    /**
     * down.sh (after resuming any process a test left stopped, which SIGTERM would not reach); whatever down.sh
     * could not stop is killed, so no test leaves processes behind.
     */
    @Override
    public void close() throws Exception {
        List<String> names = processNames();
        for (String name : names) {
            Optional<ProcessHandle> p = process(name);
            if (p.isPresent()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(p.get().pid())).start().waitFor();
            }
        }
        ScriptResult down = down();
        for (String name : names) {
            process(name).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (down.exitCode() != 0) {
            throw new IllegalStateException("down.sh failed (exit " + down.exitCode() + ")");
        }
    }

    /**
     * A block of 100 ports nobody listens on (ZooKeeper, Mesos, replicas and HAProxy use base+0 .. base+99), between
     * 20000 and 30999: below Linux's ephemeral range (32768+), where outgoing connections could take one of them
     * between this check and the bind, and below the local agents' task ports (31000-32000).
     */
    private static int freePortRange() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + ThreadLocalRandom.current().nextInt(110) * 100;
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of 100 ports between 20000 and 30999");
    }

    private static boolean allFree(int base) {
        for (int port = base; port < base + 100; port++) {
            try (ServerSocket s = new ServerSocket(port)) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
