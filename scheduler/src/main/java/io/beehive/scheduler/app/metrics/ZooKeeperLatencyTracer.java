package io.beehive.scheduler.app.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every ZooKeeper operation the replica's Curator client performs, as Dropwizard timers
 * {@code beehive.zookeeper.<operation>} ({@code get_data}, {@code get_children}, {@code exists}, {@code create},
 * {@code set_data}, {@code delete}, {@code multi} for the leader's fenced transactions, ...), on {@code /metrics} and
 * in the Prometheus output. Operations that failed because the connection or session was in trouble are also
 * counted in {@code beehive.zookeeper.<operation>.connection_failures}: a rising count is the early sign of a
 * fail-over. A "no node" or "bad version" answer is a normal answer and is only timed.
 *
 * <p>Curator reports latencies in whole milliseconds. Calls made on the raw ZooKeeper handle (the election's
 * leader-info publication and the state module's pipelined multi-reads) bypass Curator and are not timed here.
 * Called on ZooKeeper's and Curator's threads: it only updates lock-free metrics.
 */
public final class ZooKeeperLatencyTracer extends AdvancedTracerDriver {
    public static final String PREFIX = "beehive.zookeeper.";

    private final MetricRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    public ZooKeeperLatencyTracer(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Installs a tracer on {@code client} (started or not): every operation from then on is timed. */
    public static void install(CuratorFramework client, MetricRegistry registry) {
        client.getZookeeperClient().setTracerDriver(new ZooKeeperLatencyTracer(registry));
    }

    @Override
    public void addTrace(OperationTrace trace) {
        String operation = operationName(trace.getName());
        timers.computeIfAbsent(operation, op -> registry.timer(PREFIX + op))
                .update(trace.getLatencyMs(), TimeUnit.MILLISECONDS);
        if (isConnectionFailure(trace.getReturnCode())) {
            failures.computeIfAbsent(operation, op -> registry.counter(PREFIX + op + ".connection_failures")).inc();
        }
    }

    @Override
    public void addEvent(EventTrace trace) {
        // Curator's own events (connection state handling) carry no latency: nothing to time.
    }

    /**
     * {@code GetDataBuilderImpl-Background} → {@code get_data}; {@code CuratorMultiTransactionImpl-Foreground} →
     * {@code multi}. Foreground and background calls share one timer: the operation is what an operator reads.
     */
    static String operationName(String traceName) {
        String base = traceName == null ? "unknown" : traceName;
        int dash = base.indexOf('-');
        if (dash > 0) {
            base = base.substring(0, dash);
        }
        if (base.equals("CuratorMultiTransactionImpl")) {
            return "multi";
        }
        base = base.replace("TempGetDataBuilderImpl", "GetDataBuilderImpl").replace("BuilderImpl", "")
                .replace("Impl", "");
        if (base.isEmpty()) {
            return "unknown";
        }
        StringBuilder snake = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(base.charAt(i - 1))) {
                snake.append('_');
            }
            snake.append(Character.toLowerCase(c));
        }
        return snake.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isConnectionFailure(int returnCode) {
        KeeperException.Code code = KeeperException.Code.get(returnCode);
        return code == KeeperException.Code.CONNECTIONLOSS || code == KeeperException.Code.OPERATIONTIMEOUT
                || code == KeeperException.Code.SESSIONEXPIRED || code == KeeperException.Code.SESSIONMOVED;
    }
}
