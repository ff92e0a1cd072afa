package io.beehive.local.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beehive.local.master.MesosTime;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.Resource;

/**
 * The agent's {@code GET /monitor/statistics}: one entry per running executor, keys sorted as the real agent prints
 * its {@code JSON::Object}s, {@code statistics} as a 1.11 agent with {@code posix/cpu,posix/mem} isolation reports
 * them: CPU times and resident memory of the executor's process tree (read from {@code /proc}), and the limits of
 * the container, the task's resources plus the command executor's own 0.1 cpus and 32 MB.
 */
final class ExecutorStatistics {

    /** What a task contributes; captured on the event loop, measured outside it. */
    record Executor(String frameworkId, String taskId, String name, long pid, List<Resource> resources) {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    /** USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every Linux ABI Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final long PAGE_SIZE = 4096;
    private static final double EXECUTOR_CPUS = 0.1;
    private static final double EXECUTOR_MEM_MB = 32;

    private ExecutorStatistics() {}

    static String json(List<Executor> executors) {
        ArrayNode out = MAPPER.createArrayNode();
        for (Executor e : executors) {
            Optional<ProcessHandle> root = ProcessHandle.of(e.pid());
            if (root.isEmpty() || !root.get().isAlive()) {
                continue; // the executor is gone: the real agent has no usage for it either
            }
            long userTicks = 0;
            long systemTicks = 0;
            long rssPages = 0;
            for (ProcessHandle p : Stream.concat(Stream.of(root.get()), root.get().descendants()).toList()) {
                long[] stat = stat(p.pid());
                userTicks += stat[0];
                systemTicks += stat[1];
                rssPages += stat[2];
            }
            double cpus = EXECUTOR_CPUS;
            double memMb = EXECUTOR_MEM_MB;
            for (Resource r : e.resources()) {
                switch (r.getName()) {
                    case "cpus" -> cpus += r.getScalar().getValue();
                    case "mem" -> memMb += r.getScalar().getValue();
                    default -> { }
                }
            }
            ObjectNode entry = out.addObject();
            entry.put("executor_id", e.taskId());
            entry.put("executor_name", e.name());
            entry.put("framework_id", e.frameworkId());
            entry.put("source", e.taskId());
            ObjectNode s = entry.putObject("statistics");
            // the posix isolators set no hard CPU limit: Mesos reports the share as a soft limit (trace 11)
            s.put("cpus_soft_limit", num(cpus));
            s.put("cpus_system_time_secs", num(systemTicks / TICKS_PER_SECOND));
            s.put("cpus_user_time_secs", num(userTicks / TICKS_PER_SECOND));
            s.put("mem_limit_bytes", (long) (memMb * 1024 * 1024));
            s.put("mem_rss_bytes", rssPages * PAGE_SIZE);
            s.put("mem_soft_limit_bytes", (long) (memMb * 1024 * 1024));
            s.put("timestamp", num(MesosTime.nowSeconds()));
        }
        return out.toString();
    }

    /** utime, stime (ticks) and rss (pages) of one process; zeros if it has just exited. */
    private static long[] stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: count fields after its closing one
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[21])};
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
    }

    private static BigDecimal num(double d) {
        BigDecimal b = BigDecimal.valueOf(d);
        return b.scale() < 1 ? b.setScale(1) : b;
    }
}
