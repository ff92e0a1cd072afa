package io.beehive.local.agent;

import com.google.protobuf.ByteString;
import io.beehive.local.AgentSpec;
import io.beehive.local.LocalClusterConfig;
import io.beehive.local.master.EventLoop;
import io.beehive.local.master.MesosTime;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Mesos agent: runs command tasks (as processes or on timers) and owns their status-update
 * streams. Lives on the cluster's event loop, like the master; talks to whichever master it is registered with
 * through a {@link MasterLink}, and that link can be cut (partition, disconnect, master failover).
 */
public final class LocalAgent implements AgentLink {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

    private final String id;
    private final AgentSpec spec;
    private final int port;
    private final LocalClusterConfig config;
    private final EventLoop loop;
    private final Path workDir;
    private final Map<String, Map<String, AgentTask>> tasks = new LinkedHashMap<>();
    /** Executors that ended, kept for GET /state and the files API as a real agent keeps them (bounded). */
    private final CompletedExecutors completed = new CompletedExecutors();
    private MasterLink master;

    public LocalAgent(String id, AgentSpec spec, int port, LocalClusterConfig config, EventLoop loop, Path workDir) {
        this.id = id;
        this.spec = spec;
        this.port = port;
        this.config = config;
        this.loop = loop;
        this.workDir = workDir;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public AgentSpec spec() {
        return spec;
    }

    @Override
    public int port() {
        return port;
    }

    EventLoop loop() {
        return loop;
    }

    /** Connects to a master (registration / re-registration); unacknowledged updates are re-sent at once. */
    @Override
    public void connect(MasterLink master) {
        this.master = master;
        resendAll(null);
    }

    /** Loses the master (socket broken, partition, master gone); updates stay pending and are retried later. */
    @Override
    public void disconnect() {
        this.master = null;
    }

    public boolean connected() {
        return master != null;
    }

    /** This agent's share of the work directory (a real agent's {@code --work_dir}). */
    public Path workRoot() {
        return workDir.resolve("agents").resolve(id);
    }

    public Path sandbox(String frameworkId, String taskId) {
        return workRoot().resolve("frameworks").resolve(frameworkId)
            .resolve("executors").resolve(taskId).resolve("runs").resolve("latest");
    }

    /** What the agent reports on re-registration: every task it knows, with its latest status. */
    @Override
    public List<TaskReport> report() {
        List<TaskReport> out = new ArrayList<>();
        tasks.forEach((fw, byId) -> byId.values().forEach(t ->
            out.add(new TaskReport(fw, t.frameworkInfo, t.info, t.latestState, t.latestStatus))));
        return out;
    }

    /** One task as reported by an agent to a (new) master. */
    public record TaskReport(String frameworkId, FrameworkInfo frameworkInfo, TaskInfo task, TaskState state,
                             TaskStatus latestStatus) {}

    // ---- messages from the master --------------------------------------------------------------------------

    @Override
    public void runTask(String frameworkId, FrameworkInfo frameworkInfo, TaskInfo task) {
        AgentTask t = new AgentTask(frameworkId, frameworkInfo, task, UUID.randomUUID().toString());
        tasks.computeIfAbsent(frameworkId, k -> new LinkedHashMap<>()).put(t.id(), t);
        t.runner = config.executorMode() == LocalClusterConfig.ExecutorMode.TIMER
            ? new TimerTaskRunner(this, t, config.timerExecutorStepDelay())
            : new ProcessTaskRunner(this, t, sandbox(frameworkId, t.id()));
        t.runner.start();
    }

    @Override
    public void killTask(String frameworkId, String taskId, Duration gracePeriodOverride) {
        AgentTask t = task(frameworkId, taskId);
        if (t == null || t.terminal()) {
            return;
        }
        Duration grace = gracePeriodOverride != null ? gracePeriodOverride : t.killGracePeriod();
        t.killRequested = true;
        t.runner.kill(grace);
    }

    @Override
    public void acknowledge(String frameworkId, String taskId, ByteString uuid) {
        AgentTask t = task(frameworkId, taskId);
        if (t == null || t.pending.isEmpty() || !t.pending.peekFirst().getUuid().equals(uuid)) {
            LOG.debug("agent {} ignores an acknowledgement for {} that is not the head update", id, taskId);
            return;
        }
        t.pending.removeFirst();
        cancelRetry(t);
        if (t.pending.isEmpty()) {
            if (t.terminal()) {
                tasks.get(frameworkId).remove(taskId);
                completed.add(t);
            }
        } else {
            forwardHead(t, config.statusUpdateRetryInitial());
        }
    }

    /** The framework re-subscribed: re-send its pending updates now, and remember its new FrameworkInfo. */
    @Override
    public void frameworkUpdated(String frameworkId, FrameworkInfo info) {
        Map<String, AgentTask> byId = tasks.get(frameworkId);
        if (byId != null) {
            byId.values().forEach(t -> t.frameworkInfo = info);
        }
        resendAll(frameworkId);
    }

    /** The framework was removed: kill its tasks without reporting. */
    @Override
    public void shutdownFramework(String frameworkId) {
        Map<String, AgentTask> byId = tasks.remove(frameworkId);
        if (byId != null) {
            byId.values().forEach(t -> {
                cancelRetry(t);
                t.runner.destroy();
                completed.add(t);
            });
        }
    }

    /** Kills everything (cluster shutdown). */
    @Override
    public void destroyAll() {
        new ArrayList<>(tasks.keySet()).forEach(this::shutdownFramework);
    }

    public int taskCount() {
        return tasks.values().stream().mapToInt(Map::size).sum();
    }

    // ---- status updates -------------------------------------------------------------------------------------

    /** Called by runners on the loop: queues a reliable update and forwards it if nothing is in flight. */
    void update(AgentTask t, TaskState state, String message, TaskStatus.Reason reason, Long executorPid) {
        update(t, state, message, reason, executorPid, null);
    }

    /** The same, with the top-level {@code healthy} of a task with a health check (null: left out). */
    void update(AgentTask t, TaskState state, String message, TaskStatus.Reason reason, Long executorPid,
                Boolean healthy) {
        update(t, state, message, reason, executorPid, healthy, null);
    }

    /**
     * The same, with a check result. A task with a {@code check} carries a {@code check_status} on every update,
     * the empty one of its type when {@code checkStatus} is null (trace 10).
     */
    void update(AgentTask t, TaskState state, String message, TaskStatus.Reason reason, Long executorPid,
                Boolean healthy, CheckStatusInfo checkStatus) {
        if (tasks.getOrDefault(t.frameworkId, Map.of()).get(t.id()) != t) {
            return; // removed (framework shut down)
        }
        TaskStatus.Builder status = TaskStatus.newBuilder()
            .setTaskId(t.info.getTaskId())
            .setState(state)
            .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
            .setAgentId(AgentID.newBuilder().setValue(id))
            .setExecutorId(ExecutorID.newBuilder().setValue(t.id()))
            .setTimestamp(MesosTime.nowSeconds())
            .setUuid(randomUuid());
        if (message != null) {
            status.setMessage(message);
        }
        if (reason != null) {
            status.setReason(reason);
        }
        if (healthy != null) {
            status.setHealthy(healthy);
        }
        if (checkStatus != null) {
            status.setCheckStatus(checkStatus);
        } else if (t.info.hasCheck()) {
            status.setCheckStatus(TaskChecker.empty(t.info.getCheck().getType()));
        }
        ContainerStatus.Builder container = ContainerStatus.newBuilder()
            .setContainerId(ContainerID.newBuilder().setValue(t.containerId))
            .addNetworkInfos(NetworkInfo.newBuilder().addIpAddresses(NetworkInfo.IPAddress.newBuilder()
                .setProtocol(NetworkInfo.Protocol.IPv4).setIpAddress("127.0.0.1")));
        if (executorPid != null) {
            container.setExecutorPid(executorPid.intValue());
        }
        status.setContainerStatus(container);
        TaskStatus built = status.build();
        t.latestState = state;
        t.latestStatus = built;
        t.pending.addLast(built);
        if (t.pending.size() == 1) {
            forwardHead(t, config.statusUpdateRetryInitial());
        } else if (master != null && t.pending.size() > 1) {
            // the master learns the latest state even while an older update is in flight
            master.latestState(id, t.frameworkId, t.id(), state);
        }
    }

    private void forwardHead(AgentTask t, Duration delay) {
        TaskStatus head = t.pending.peekFirst();
        if (head == null) {
            return;
        }
        if (master != null) {
            master.statusUpdate(id, t.frameworkId, head, t.latestState);
        }
        t.retryDelay = delay;
        cancelRetry(t);
        t.retry = loop.schedule(delay, () -> {
            Duration next = t.retryDelay.multipliedBy(2);
            if (next.compareTo(config.statusUpdateRetryMax()) > 0) {
                next = config.statusUpdateRetryMax();
            }
            forwardHead(t, next);
        });
    }

    private void resendAll(String frameworkId) {
        if (master == null) {
            return;
        }
        tasks.forEach((fw, byId) -> {
            if (frameworkId == null || frameworkId.equals(fw)) {
                byId.values().forEach(t -> forwardHead(t, config.statusUpdateRetryInitial()));
            }
        });
    }

    private static void cancelRetry(AgentTask t) {
        if (t.retry != null) {
            t.retry.cancel(false);
            t.retry = null;
        }
    }

    private AgentTask task(String frameworkId, String taskId) {
        Map<String, AgentTask> byId = tasks.get(frameworkId);
        return byId == null ? null : byId.get(taskId);
    }

    private static ByteString randomUuid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return ByteString.copyFrom(b.array());
    }

    public Collection<String> frameworkIds() {
        return tasks.keySet();
    }

    /** The agent's {@code GET /state} document (on the loop). */
    public String stateJson(String hostname) {
        return new AgentStateView(this, hostname).json();
    }

    /** Live executors by framework (command executor: one per task, executor id = task id). */
    /** Tasks whose process runs (a pid reported, not terminal), for {@code /monitor/statistics}. */
    List<ExecutorStatistics.Executor> runningExecutors() {
        List<ExecutorStatistics.Executor> out = new ArrayList<>();
        liveTasks().values().forEach(byId -> byId.values().forEach(t -> {
            if (!t.terminal() && t.latestStatus != null && t.latestStatus.getContainerStatus().hasExecutorPid()) {
                out.add(new ExecutorStatistics.Executor(t.frameworkId, t.id(), AgentStateView.executorName(t.info),
                    t.latestStatus.getContainerStatus().getExecutorPid(), t.info.getResourcesList()));
            }
        }));
        return out;
    }

    Map<String, Map<String, AgentTask>> liveTasks() {
        return tasks;
    }

    CompletedExecutors completedExecutors() {
        return completed;
    }

    /**
     * The sandboxes the files API may serve, as a real agent attaches them: each executor's directory under its
     * own path and under {@code /frameworks/<fw>/executors/<eid>/runs/latest}. Live and completed ones alike.
     */
    public Map<String, Path> attachedSandboxes() {
        Map<String, Path> out = new LinkedHashMap<>();
        tasks.forEach((fw, byId) -> byId.keySet().forEach(taskId -> attach(out, fw, taskId)));
        completed.all().forEach(t -> attach(out, t.frameworkId, t.id()));
        return out;
    }

    private void attach(Map<String, Path> out, String frameworkId, String executorId) {
        Path dir = sandbox(frameworkId, executorId);
        out.put(dir.toString(), dir);
        out.put("/frameworks/" + frameworkId + "/executors/" + executorId + "/runs/latest", dir);
    }
}
