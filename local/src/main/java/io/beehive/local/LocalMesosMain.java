package io.beehive.local;

import io.beehive.local.zk.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: starts ZooKeeper (embedded, unless {@code --zk} names one), the masters and the agents, prints the
 * leading master's URL and the ZooKeeper connect string, and runs until SIGTERM/SIGINT.
 *
 * <pre>
 * --port N          first master's port (default 5050; 0 = ephemeral)
 * --masters N       number of masters (default 1; the others are standbys)
 * --agents N        number of agents (default 1)
 * --cpus X --mem X --disk X   resources of each agent (default 4 / 8192 / 65536)
 * --zk HOST:PORT    use this ZooKeeper instead of an embedded one
 * --zk-port N       port of the embedded ZooKeeper (default 0 = ephemeral)
 * --no-zk           no ZooKeeper at all (one master, no election)
 * --zk-path PATH    election path (default /mesos)
 * --work-dir DIR    sandboxes live here (default: a temporary directory)
 * --executor MODE   PROCESS (default) or TIMER
 * --hostname NAME   advertised hostname (default localhost)
 * --agent-ping-timeout-ms N, --max-agent-ping-timeouts N, --agent-reregister-timeout-ms N
 *                   agent fault detection (default 15000 x 5, 600000), as Mesos' agent_ping_timeout ...
 * --zk-session-timeout-ms N   a master's ZooKeeper session (default 10000, Mesos' zk_session_timeout): how long
 *                   a killed master's node still leads
 * </pre>
 *
 * <p>Separate processes, like {@code mesos-master} and {@code mesos-agent}: {@code --agents 0 --zk host:port}
 * runs one master and no agents (start several; they contend in ZooKeeper and keep the admitted agents in a
 * registry there); {@code --master zk://host:port/mesos --agents N} runs only agents, which follow the leading
 * master and re-register with their tasks when it changes.
 */
public final class LocalMesosMain {

    private LocalMesosMain() {}

    public static void main(String[] args) throws Exception {
        quietLogging();
        int port = 5050;
        int masters = 1;
        int agents = 1;
        Integer agentPort = null;
        double cpus = 4;
        double mem = 8192;
        double disk = 65536;
        String zk = null;
        int zkPort = 0;
        boolean noZk = false;
        String zkPath = "/mesos";
        Path workDir = null;
        LocalClusterConfig.ExecutorMode mode = LocalClusterConfig.ExecutorMode.PROCESS;
        String hostname = "localhost";
        String followMasters = null;
        Long pingTimeoutMs = null;
        Long zkSessionTimeoutMs = null;
        Integer maxPingTimeouts = null;
        Long reregisterTimeoutMs = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--no-zk")) {
                noZk = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println(usage());
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value\n" + usage());
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = Integer.parseInt(value);
                case "--masters" -> masters = Integer.parseInt(value);
                case "--agents" -> agents = Integer.parseInt(value);
                case "--agent-port" -> agentPort = Integer.parseInt(value);
                case "--cpus" -> cpus = Double.parseDouble(value);
                case "--mem" -> mem = Double.parseDouble(value);
                case "--disk" -> disk = Double.parseDouble(value);
                case "--zk" -> zk = value;
                case "--zk-port" -> zkPort = Integer.parseInt(value);
                case "--zk-path" -> zkPath = value;
                case "--work-dir" -> workDir = Path.of(value);
                case "--executor" -> mode = LocalClusterConfig.ExecutorMode.valueOf(value.toUpperCase());
                case "--hostname" -> hostname = value;
                case "--master" -> followMasters = value;
                case "--agent-ping-timeout-ms" -> pingTimeoutMs = Long.parseLong(value);
                case "--max-agent-ping-timeouts" -> maxPingTimeouts = Integer.parseInt(value);
                case "--agent-reregister-timeout-ms" -> reregisterTimeoutMs = Long.parseLong(value);
                case "--zk-session-timeout-ms" -> zkSessionTimeoutMs = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
            }
        }
        Faults faults = new Faults(pingTimeoutMs, maxPingTimeouts, reregisterTimeoutMs, zkSessionTimeoutMs);
        if (followMasters != null) {
            ZkUrl url = ZkUrl.parse(followMasters);
            LocalClusterConfig.Builder config = configBuilder(port, agentPort, mode, hostname, workDir, faults)
                .zookeeper(url.connect(), url.path());
            for (int i = 0; i < agents; i++) {
                config.agent(AgentSpec.defaults(AgentSpec.LOCALHOST).withResources(cpus, mem, disk));
            }
            StandaloneAgents process = new StandaloneAgents(config.build(), url.connect());
            System.out.println("agents: " + String.join(",", process.agentIds()));
            process.agentIds().forEach(id -> System.out.println("agent " + id + ": " + process.agentUri(id)));
            runUntilStopped(process::close);
            return;
        }
        if (agents == 0) {
            if (masters != 1) {
                throw new IllegalArgumentException("--agents 0 runs one master per process; start several processes"
                    + " for standbys\n" + usage());
            }
            if (noZk || zk == null) {
                throw new IllegalArgumentException("--agents 0 needs --zk host:port (the masters' election and"
                    + " registry)\n" + usage());
            }
            LocalClusterConfig config = configBuilder(port, agentPort, mode, hostname, workDir, faults)
                .zookeeper(zk, zkPath).build();
            StandaloneMaster process = new StandaloneMaster(config, zk);
            System.out.println("master: " + process.uri());
            System.out.println("zk: zk://" + zk + zkPath);
            runUntilStopped(process::close);
            return;
        }
        EmbeddedZooKeeper embedded = null;
        if (!noZk && zk == null) {
            embedded = EmbeddedZooKeeper.start(zkPort, null);
            zk = embedded.connectString();
        }
        LocalClusterConfig.Builder config = configBuilder(port, agentPort, mode, hostname, workDir, faults)
            .masterCount(masters);
        for (int i = 0; i < agents; i++) {
            config.agent(AgentSpec.defaults(AgentSpec.LOCALHOST).withResources(cpus, mem, disk));
        }
        if (!noZk) {
            config.zookeeper(zk, zkPath);
        }
        LocalCluster cluster = LocalCluster.start(config.build());
        List<String> uris = new ArrayList<>();
        cluster.masterUris().forEach(u -> uris.add(u.toString()));
        System.out.println("master: " + cluster.leaderUri());
        System.out.println("masters: " + String.join(",", uris));
        System.out.println("zk: " + (noZk ? "(none)" : "zk://" + zk + zkPath));
        System.out.println("agents: " + String.join(",", cluster.agentIds()));
        cluster.agentIds().forEach(id -> System.out.println("agent " + id + ": " + cluster.agentUri(id)));
        EmbeddedZooKeeper zkToClose = embedded;
        runUntilStopped(() -> {
            cluster.close();
            if (zkToClose != null) {
                zkToClose.close();
            }
        });
    }

    /** Fault-detection flags, when given (otherwise the real defaults of {@link LocalClusterConfig}). */
    private record Faults(Long pingTimeoutMs, Integer maxPingTimeouts, Long reregisterTimeoutMs,
                          Long zkSessionTimeoutMs) {}

    private static LocalClusterConfig.Builder configBuilder(int port, Integer agentPort,
                                                            LocalClusterConfig.ExecutorMode mode, String hostname,
                                                            Path workDir, Faults faults) {
        LocalClusterConfig.Builder config = LocalClusterConfig.builder().masterPort(port)
            .agentBasePort(agentPort != null ? agentPort : port == 0 ? 0 : port + 1)
            .executorMode(mode).hostname(hostname).workDir(workDir);
        if (faults.zkSessionTimeoutMs() != null) {
            config.zookeeperSessionTimeout(Duration.ofMillis(faults.zkSessionTimeoutMs()));
        }
        if (faults.pingTimeoutMs() != null) {
            config.agentPingTimeout(Duration.ofMillis(faults.pingTimeoutMs()));
        }
        if (faults.maxPingTimeouts() != null) {
            config.maxAgentPingTimeouts(faults.maxPingTimeouts());
        }
        if (faults.reregisterTimeoutMs() != null) {
            config.agentReregisterTimeout(Duration.ofMillis(faults.reregisterTimeoutMs()));
        }
        return config;
    }

    /** Blocks until SIGTERM/SIGINT, then runs {@code stop} (which kills every task process this JVM started). */
    private static void runUntilStopped(Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "local-mesos-shutdown"));
        stopped.await();
    }

    /** {@code zk://host:port[,host:port]/path}, as {@code mesos-agent --master} takes it. */
    private record ZkUrl(String connect, String path) {
        static ZkUrl parse(String url) {
            if (!url.startsWith("zk://") || url.indexOf('/', 5) < 0) {
                throw new IllegalArgumentException("--master must be zk://host:port/path, not '" + url + "'");
            }
            int slash = url.indexOf('/', 5);
            return new ZkUrl(url.substring(5, slash), url.substring(slash));
        }
    }

    /** Without a logback.xml logback logs DEBUG; an operator wants INFO (the jar ships no config, libraries bring theirs). */
    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root
            && System.getProperty("logback.configurationFile") == null) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    private static String usage() {
        return "usage: LocalMesosMain [--port 5050] [--masters 1] [--agents 1]"
            + " [--agent-port 5051] [--cpus 4 --mem 8192 --disk 65536]"
            + " [--zk host:port | --zk-port 0 | --no-zk] [--zk-path /mesos] [--work-dir DIR]"
            + " [--executor PROCESS|TIMER] [--hostname localhost]"
            + " [--agent-ping-timeout-ms 15000] [--max-agent-ping-timeouts 5] [--agent-reregister-timeout-ms 600000]"
            + " [--zk-session-timeout-ms 10000]"
            + "\n   or: LocalMesosMain --agents 0 --zk host:port [--port 5050] ...   (one master, no agents)"
            + "\n   or: LocalMesosMain --master zk://host:port/mesos --agents N [--agent-port 5051] ...   (agents only)";
    }

}
