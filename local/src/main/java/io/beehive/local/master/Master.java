package io.beehive.local.master;

import io.beehive.local.LocalClusterConfig;
import io.beehive.local.agent.AgentLink;
import io.beehive.local.agent.LocalAgent;
import io.beehive.local.agent.MasterLink;
import io.beehive.local.http.SubscriptionStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.URL;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One elected master's state and behaviour (spec §3): frameworks, offers, tasks, agents. Every method runs on
 * the {@link EventLoop}; the HTTP layer only parses, validates the call's shape and hands over.
 */
public final class Master implements MasterLink {

    private static final Logger LOG = LoggerFactory.getLogger(Master.class);
    private static final double DEFAULT_REFUSE_SECONDS = 5.0;
    private static final double MAX_REFUSE_SECONDS = 365 * 24 * 3600.0;

    /** An HTTP answer to a non-SUBSCRIBE call. */
    public record Answer(int status, String body) {
        static final Answer ACCEPTED = new Answer(202, "");
    }

    private final LocalClusterConfig config;
    private final EventLoop loop;
    private final String masterId;
    private final MasterInfo info;
    private final long startTime = System.currentTimeMillis();
    private final Map<String, AgentRecord> agents = new LinkedHashMap<>();
    private final Map<String, Framework> frameworks = new LinkedHashMap<>();
    private final Deque<Framework> completed = new ArrayDeque<>();
    private final Set<String> completedIds = new HashSet<>();
    private final Map<String, OfferRecord> offers = new LinkedHashMap<>();
    private int frameworkCounter;
    private final Map<TaskState, Long> terminalTasks = new java.util.EnumMap<>(TaskState.class);
    private long agentRegistrations;
    private long agentReregistrations;
    private long agentRemovals;
    private long offerCounter;
    private int allocationRotation;
    private boolean heartbeatsSuspended;
    private Duration offerTimeout;
    private ScheduledFuture<?> allocationTimer;
    private boolean closed;
    private final AgentRegistry registry;

    public Master(LocalClusterConfig config, EventLoop loop, String masterId, MasterInfo info) {
        this(config, loop, masterId, info, AgentRegistry.IN_MEMORY);
    }

    public Master(LocalClusterConfig config, EventLoop loop, String masterId, MasterInfo info, AgentRegistry registry) {
        this.registry = registry;
        this.config = config;
        this.loop = loop;
        this.masterId = masterId;
        this.info = info;
        this.offerTimeout = config.offerTimeout().orElse(null);
    }

    public String masterId() {
        return masterId;
    }

    public MasterInfo info() {
        return info;
    }

    public long startTime() {
        return startTime;
    }

    public void start() {
        allocationTimer = loop.schedule(config.allocationInterval(), this::allocationTick);
    }

    private void allocationTick() {
        if (closed) {
            return;
        }
        allocate();
        allocationTimer = loop.schedule(config.allocationInterval(), this::allocationTick);
    }

    // ==== agents ===============================================================================================

    /** A brand-new agent registers. */
    public void registerAgent(AgentLink agent) {
        AgentRecord rec = new AgentRecord(agent, AgentRecord.State.ACTIVE);
        agents.put(agent.id(), rec);
        agentRegistrations++;
        registry.admit(agent);
        agent.connect(this);
        LOG.info("agent {} ({}) registered with master {}", agent.id(), agent.spec().hostname(), masterId);
    }

    /** After a master failover the new master knows the agents from its registry until they re-register. */
    public void recoverAgent(AgentLink agent) {
        AgentRecord rec = new AgentRecord(agent, AgentRecord.State.RECOVERED);
        agents.put(agent.id(), rec);
        // an agent that does not come back in time is marked unreachable; this master has no task list for it,
        // so frameworks only see FAILURE (spec §3.6)
        rec.reregisterTimer = loop.schedule(config.agentReregisterTimeout(), () -> {
            if (!closed && agents.get(agent.id()) == rec && rec.state == AgentRecord.State.RECOVERED) {
                LOG.info("agent {} did not re-register within {}; marking it unreachable", agent.id(),
                    config.agentReregisterTimeout());
                rec.state = AgentRecord.State.UNREACHABLE;
                rec.unreachableTime = now();
                failureToAll(agent.id());
            }
        });
    }

    /**
     * An agent in another process says it is alive (it pings; a real master pings its agents). True if it is
     * registered and active here; false tells it to re-register. An agent that stops pinging is marked
     * unreachable after ping timeout x max pings, as a real master marks an agent that stops answering.
     */
    public boolean agentPinged(String agentId) {
        AgentRecord rec = agents.get(agentId);
        if (closed || rec == null || rec.state != AgentRecord.State.ACTIVE) {
            return false;
        }
        if (rec.healthCheck != null) {
            rec.healthCheck.cancel(false);
        }
        Duration timeout = config.agentPingTimeout().multipliedBy(config.maxAgentPingTimeouts());
        rec.healthCheck = loop.schedule(timeout, () -> {
            if (agents.get(agentId) == rec) {
                markUnreachable(agentId, "health check timed out");
            }
        });
        return true;
    }

    /** A message to this connection of the agent could not be delivered: its socket is broken. */
    public void agentConnectionLost(AgentLink connection) {
        AgentRecord rec = agents.get(connection.id());
        if (!closed && rec != null && rec.agent == connection) {
            disconnectAgent(connection.id());
        }
    }

    /** Registered here and connected (not recovered, disconnected, unreachable or gone). */
    public boolean agentActive(String agentId) {
        AgentRecord rec = agents.get(agentId);
        return rec != null && rec.state == AgentRecord.State.ACTIVE;
    }

    public boolean knowsAgent(String agentId) {
        return agents.containsKey(agentId);
    }

    /**
     * An agent (re-)registers: its reported tasks rejoin the active set. Tasks coming back from unreachable get a
     * master-generated update with their live state (REASON_AGENT_REREGISTERED).
     */
    public void reregisterAgent(AgentLink agent) {
        AgentRecord rec = agents.get(agent.id());
        if (rec == null) {
            rec = new AgentRecord(agent, AgentRecord.State.RECOVERED);
            agents.put(agent.id(), rec);
        }
        if (rec.state == AgentRecord.State.GONE) {
            LOG.info("agent {} was marked gone; refusing its re-registration", agent.id());
            agent.destroyAll();
            return;
        }
        AgentRecord.State previous = rec.state;
        rec.cancelTimers();
        rec.agent = agent;
        rec.state = AgentRecord.State.ACTIVE;
        agentReregistrations++;
        registry.admit(agent);
        for (LocalAgent.TaskReport report : agent.report()) {
            String fwId = report.frameworkId();
            if (completedIds.contains(fwId)) {
                agent.shutdownFramework(fwId);
                continue;
            }
            Framework fw = frameworks.get(fwId);
            if (fw == null) {
                fw = new Framework(fwId, report.frameworkInfo(), Framework.State.RECOVERED);
                frameworks.put(fwId, fw);
                LOG.info("framework {} recovered from agent {}", fwId, agent.id());
            }
            String taskId = report.task().getTaskId().getValue();
            MasterTask task = fw.unreachableTasks.remove(taskId);
            boolean wasUnreachable = task != null;
            if (task == null) {
                task = fw.tasks.get(taskId);
            }
            if (task == null) {
                task = new MasterTask(fwId, agent.id(), report.task(), ResourceBag.fromProtos(report.task().getResourcesList()));
            }
            task.state = report.state();
            countIfTerminal(task);
            task.latestStatus = report.latestStatus();
            if (report.latestStatus() != null) {
                task.recordStatus(report.latestStatus());
            }
            fw.tasks.put(taskId, task);
            if (wasUnreachable || previous == AgentRecord.State.UNREACHABLE) {
                TaskStatus.Builder status = masterStatus(task.info.getTaskId(), report.state(),
                    "Unreachable agent re-reregistered", TaskStatus.Reason.REASON_AGENT_REREGISTERED, agent.id());
                Reconciliation.copyDetails(report.latestStatus(), status);
                send(fw, update(status.build()));
            }
        }
        agent.connect(this);
        for (AgentRecord.PendingKill kill : rec.pendingKills) {
            agent.killTask(kill.frameworkId(), kill.taskId(), kill.grace());
        }
        rec.pendingKills.clear();
        LOG.info("agent {} re-registered with master {} (was {})", agent.id(), masterId, previous);
    }

    /** The agent stops answering pings: after ping timeout × max pings it is marked unreachable. */
    public void partitionAgent(String agentId) {
        AgentRecord rec = agents.get(agentId);
        if (rec == null || rec.state != AgentRecord.State.ACTIVE) {
            return;
        }
        rec.agent.disconnect();
        Duration timeout = config.agentPingTimeout().multipliedBy(config.maxAgentPingTimeouts());
        LOG.info("agent {} stopped answering pings; unreachable in {}", agentId, timeout);
        rec.healthCheck = loop.schedule(timeout, () -> markUnreachable(agentId, "health check timed out"));
    }

    public void markUnreachable(String agentId, String cause) {
        AgentRecord rec = agents.get(agentId);
        if (rec == null || rec.state == AgentRecord.State.UNREACHABLE || rec.state == AgentRecord.State.GONE) {
            return;
        }
        LOG.info("marking agent {} unreachable: {}", agentId, cause);
        rec.cancelTimers();
        rec.agent.disconnect();
        rec.state = AgentRecord.State.UNREACHABLE;
        rec.unreachableTime = now();
        for (Framework fw : frameworks.values()) {
            for (MasterTask task : tasksOn(fw, agentId)) {
                fw.tasks.remove(task.id());
                task.unreachableTime = rec.unreachableTime;
                boolean terminal = MasterTask.isTerminal(task.state);
                if (!terminal) {
                    task.state = TaskState.TASK_UNREACHABLE;
                    fw.unreachableTasks.put(task.id(), task);
                }
                TaskStatus status = masterStatus(task.info.getTaskId(),
                    fw.partitionAware() ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST, cause,
                    TaskStatus.Reason.REASON_AGENT_REMOVED, agentId)
                    .setUnreachableTime(TimeInfo.newBuilder().setNanoseconds((long) (rec.unreachableTime * 1e9)))
                    .build();
                if (!terminal) {
                    send(fw, update(status));
                }
            }
        }
        rescindOffersOn(agentId);
        failureToAll(agentId);
    }

    /** The master-agent socket breaks (agent stays registered). */
    public void disconnectAgent(String agentId) {
        AgentRecord rec = agents.get(agentId);
        if (rec == null || rec.state != AgentRecord.State.ACTIVE) {
            return;
        }
        LOG.info("agent {} disconnected", agentId);
        rec.agent.disconnect();
        rec.state = AgentRecord.State.DISCONNECTED;
        rescindOffersOn(agentId);
        for (Framework fw : frameworks.values()) {
            if (fw.info.getCheckpoint()) {
                continue;
            }
            for (MasterTask task : tasksOn(fw, agentId)) {
                if (MasterTask.isTerminal(task.state)) {
                    complete(fw, task, null);
                    continue;
                }
                TaskStatus lost = masterStatus(task.info.getTaskId(), TaskState.TASK_LOST,
                    "Agent " + rec.agent.spec().hostname() + " disconnected",
                    TaskStatus.Reason.REASON_AGENT_DISCONNECTED, agentId).build();
                complete(fw, task, lost);
                send(fw, update(lost));
            }
        }
        rec.reregisterTimer = loop.schedule(config.agentReregisterTimeout(),
            () -> markUnreachable(agentId, "agent did not reregister within " + config.agentReregisterTimeout()));
    }

    /** The agent unregisters (graceful shutdown): TASK_LOST / REASON_AGENT_REMOVED for everyone. */
    public void removeAgent(String agentId) {
        AgentRecord rec = agents.remove(agentId);
        if (rec == null) {
            return;
        }
        LOG.info("agent {} removed", agentId);
        agentRemovals++;
        registry.remove(agentId);
        rec.cancelTimers();
        rec.agent.disconnect();
        for (Framework fw : frameworks.values()) {
            for (MasterTask task : tasksOn(fw, agentId)) {
                if (MasterTask.isTerminal(task.state)) {
                    complete(fw, task, null);
                    continue;
                }
                TaskStatus lost = masterStatus(task.info.getTaskId(), TaskState.TASK_LOST, "Agent removed",
                    TaskStatus.Reason.REASON_AGENT_REMOVED, agentId).build();
                complete(fw, task, lost);
                send(fw, update(lost));
            }
            fw.unreachableTasks.values().removeIf(t -> t.agentId.equals(agentId));
        }
        rec.agent.destroyAll();
        rescindOffersOn(agentId);
        failureToAll(agentId);
    }

    /** Operator MARK_AGENT_GONE. */
    public void markAgentGone(String agentId) {
        AgentRecord rec = agents.get(agentId);
        if (rec == null || rec.state == AgentRecord.State.GONE) {
            return;
        }
        LOG.info("agent {} marked gone", agentId);
        rec.cancelTimers();
        rec.agent.disconnect();
        boolean wasUnreachable = rec.state == AgentRecord.State.UNREACHABLE;
        rec.state = AgentRecord.State.GONE;
        registry.remove(agentId);
        for (Framework fw : frameworks.values()) {
            List<MasterTask> affected = new ArrayList<>(tasksOn(fw, agentId));
            affected.forEach(t -> fw.tasks.remove(t.id()));
            for (MasterTask t : new ArrayList<>(fw.unreachableTasks.values())) {
                if (t.agentId.equals(agentId)) {
                    fw.unreachableTasks.remove(t.id());
                    affected.add(t);
                }
            }
            for (MasterTask task : affected) {
                if (MasterTask.isTerminal(task.state)) {
                    complete(fw, task, null);
                    continue;
                }
                TaskStatus gone = masterStatus(task.info.getTaskId(),
                    fw.partitionAware() ? TaskState.TASK_GONE_BY_OPERATOR : TaskState.TASK_LOST,
                    "Agent has been marked gone",
                    fw.partitionAware() ? TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR
                        : TaskStatus.Reason.REASON_AGENT_REMOVED, agentId).build();
                complete(fw, task, gone);
                send(fw, update(gone));
            }
        }
        rec.agent.destroyAll();
        rescindOffersOn(agentId);
        if (!wasUnreachable) {
            failureToAll(agentId);
        }
    }

    private List<MasterTask> tasksOn(Framework fw, String agentId) {
        List<MasterTask> out = new ArrayList<>();
        for (MasterTask t : fw.tasks.values()) {
            if (t.agentId.equals(agentId)) {
                out.add(t);
            }
        }
        return out;
    }

    private void failureToAll(String agentId) {
        Event failure = Event.newBuilder().setType(Event.Type.FAILURE)
            .setFailure(Event.Failure.newBuilder().setAgentId(AgentID.newBuilder().setValue(agentId))).build();
        frameworks.values().forEach(fw -> send(fw, failure));
    }

    // ==== status updates from agents ===========================================================================

    @Override
    public void statusUpdate(String agentId, String frameworkId, TaskStatus status, TaskState latestState) {
        AgentRecord rec = agents.get(agentId);
        if (closed || rec == null || rec.state != AgentRecord.State.ACTIVE) {
            return;
        }
        Framework fw = frameworks.get(frameworkId);
        if (fw == null) {
            return;
        }
        MasterTask task = fw.tasks.get(status.getTaskId().getValue());
        if (task != null) {
            task.state = latestState;
            countIfTerminal(task);
            task.latestStatus = status;
            task.recordStatus(status);
        }
        if (fw.state != Framework.State.CONNECTED) {
            return; // dropped: the agent keeps it pending and retries
        }
        if (task != null) {
            task.lastForwarded = status;
            task.statusUpdateUuid = status.getUuid();
        }
        send(fw, update(status));
    }

    @Override
    public void latestState(String agentId, String frameworkId, String taskId, TaskState latestState) {
        AgentRecord rec = agents.get(agentId);
        Framework fw = frameworks.get(frameworkId);
        if (closed || rec == null || rec.state != AgentRecord.State.ACTIVE || fw == null) {
            return;
        }
        MasterTask task = fw.tasks.get(taskId);
        if (task != null) {
            task.state = latestState;
            countIfTerminal(task);
        }
    }

    // ==== subscription =========================================================================================

    /** SUBSCRIBE after call-level validation: SUBSCRIBED + HEARTBEAT, or a single ERROR, on {@code stream}. */
    public void subscribe(Call call, SubscriptionStream stream) {
        FrameworkInfo requested = call.getSubscribe().getFrameworkInfo();
        List<String> suppressed = call.getSubscribe().getSuppressedRolesList();
        String error = Validation.frameworkInfo(requested, suppressed);
        String requestedId = requested.hasId() ? requested.getId().getValue() : "";
        if (error == null && !requestedId.isEmpty() && completedIds.contains(requestedId)) {
            error = "Framework has been removed";
        }
        Framework fw = requestedId.isEmpty() ? null : frameworks.get(requestedId);
        if (error == null && fw != null && !fw.info.getPrincipal().equals(requested.getPrincipal())) {
            error = "Changing framework's principal is not allowed.";
        }
        if (error != null) {
            LOG.info("refusing subscription: {}", error);
            stream.send(errorEvent(error));
            stream.close();
            return;
        }
        FrameworkInfo.Builder info = requested.toBuilder();
        if (fw == null) {
            String id = requestedId.isEmpty() ? String.format("%s-%04d", masterId, frameworkCounter++) : requestedId;
            info.setId(FrameworkID.newBuilder().setValue(id));
            fw = new Framework(id, info.build(), Framework.State.CONNECTED);
            frameworks.put(id, fw);
            LOG.info("framework {} ({}) subscribed{}", id, requested.getName(), requestedId.isEmpty() ? "" : " with a known id");
        } else {
            info.setUser(fw.info.getUser()).setCheckpoint(fw.info.getCheckpoint());
            if (fw.stream != null && !fw.stream.isClosed()) {
                LOG.info("framework {} failed over to a new subscription", fw.id);
                fw.stream.send(errorEvent("Framework failed over"));
                fw.stream.close();
            } else {
                LOG.info("framework {} re-subscribed (was {})", fw.id, fw.state);
            }
            if (fw.state == Framework.State.RECOVERED) {
                // this master never saw it register: both times start now, as in Mesos
                fw.registeredTime = now();
            }
            fw.reregisteredTime = now();
            discardOffersOf(fw, false);
            fw.info = info.build();
        }
        Framework framework = fw;
        if (fw.failoverTimer != null) {
            fw.failoverTimer.cancel(false);
            fw.failoverTimer = null;
        }
        if (fw.heartbeat != null) {
            fw.heartbeat.cancel(false);
        }
        fw.suppressedRoles.clear();
        fw.suppressedRoles.addAll(suppressed);
        fw.state = Framework.State.CONNECTED;
        fw.active = true;
        fw.stream = stream;
        stream.onClosed(s -> loop.post(() -> streamClosed(framework, s)));
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
            .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
            .setHeartbeatIntervalSeconds(config.heartbeatInterval().toNanos() / 1e9)
            .setMasterInfo(this.info)).build());
        heartbeat(fw, stream);
        for (AgentRecord rec : agents.values()) {
            if (rec.state == AgentRecord.State.ACTIVE) {
                rec.agent.frameworkUpdated(fw.id, fw.info);
            }
        }
        loop.post(this::allocate);
    }

    private void heartbeat(Framework fw, SubscriptionStream stream) {
        if (fw.stream != stream || stream.isClosed() || closed) {
            return;
        }
        if (!heartbeatsSuspended) {
            stream.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
        }
        fw.heartbeat = loop.schedule(config.heartbeatInterval(), () -> heartbeat(fw, stream));
    }

    private void streamClosed(Framework fw, SubscriptionStream stream) {
        if (closed || fw.stream != stream || fw.state != Framework.State.CONNECTED
            || frameworks.get(fw.id) != fw) {
            return;
        }
        LOG.info("framework {} disconnected; failover timeout {} s", fw.id, fw.info.getFailoverTimeout());
        fw.state = Framework.State.DISCONNECTED;
        fw.active = false;
        fw.disconnectedAt = System.nanoTime();
        if (fw.heartbeat != null) {
            fw.heartbeat.cancel(false);
        }
        discardOffersOf(fw, false);
        double timeout = Math.max(0, fw.info.getFailoverTimeout());
        fw.failoverTimer = loop.schedule(Duration.ofNanos((long) (timeout * 1e9)), () -> {
            if (fw.state == Framework.State.DISCONNECTED && frameworks.get(fw.id) == fw) {
                LOG.info("framework {} did not re-subscribe within its failover timeout; removing it", fw.id);
                removeFramework(fw);
            }
        });
    }

    private void removeFramework(Framework fw) {
        frameworks.remove(fw.id);
        if (fw.heartbeat != null) {
            fw.heartbeat.cancel(false);
        }
        if (fw.failoverTimer != null) {
            fw.failoverTimer.cancel(false);
        }
        discardOffersOf(fw, false);
        if (fw.stream != null) {
            fw.stream.close();
        }
        for (AgentRecord rec : agents.values()) {
            rec.agent.shutdownFramework(fw.id);
        }
        // the tasks stay visible in completed_frameworks, killed by the master (Master::removeFramework)
        List<MasterTask> removed = new ArrayList<>(fw.tasks.values());
        removed.addAll(fw.unreachableTasks.values());
        for (MasterTask task : removed) {
            complete(fw, task, masterStatus(task.info.getTaskId(), TaskState.TASK_KILLED,
                "Framework " + fw.id + " removed", TaskStatus.Reason.REASON_FRAMEWORK_REMOVED, task.agentId).build());
        }
        fw.tasks.clear();
        fw.unreachableTasks.clear();
        fw.unregisteredTime = now();
        fw.active = false;
        fw.state = Framework.State.DISCONNECTED;
        completed.addLast(fw);
        completedIds.add(fw.id);
        while (completed.size() > config.maxCompletedFrameworks()) {
            completedIds.remove(completed.removeFirst().id);
        }
        LOG.info("framework {} removed", fw.id);
    }

    /**
     * Moves {@code task} to the framework's completed tasks. A {@code status} the master made up is recorded in its
     * statuses first; as in Mesos' {@code updateTask}, it changes the state only of a task not yet terminal.
     */
    private void complete(Framework fw, MasterTask task, TaskStatus status) {
        fw.tasks.remove(task.id());
        fw.unreachableTasks.remove(task.id());
        if (status != null) {
            if (!MasterTask.isTerminal(task.state)) {
                task.state = status.getState();
                countIfTerminal(task);
            }
            task.recordStatus(status);
        }
        fw.addCompletedTask(task);
    }

    /** Counts a task once, in the terminal state it reached first (the real master's counters). */
    private void countIfTerminal(MasterTask task) {
        if (!task.countedTerminal && MasterTask.isTerminal(task.state)) {
            task.countedTerminal = true;
            terminalTasks.merge(task.state, 1L, Long::sum);
        }
    }

    long terminalTaskCount(TaskState state) {
        return terminalTasks.getOrDefault(state, 0L);
    }

    long agentRegistrations() {
        return agentRegistrations;
    }

    long agentReregistrations() {
        return agentReregistrations;
    }

    long agentRemovals() {
        return agentRemovals;
    }

    public Map<String, Double> metrics() {
        return MetricsSnapshot.of(this);
    }

    /**
     * {@code POST /master/teardown}: the operator removes a framework (its tasks are killed, it becomes a completed
     * framework). Only a framework this master has registered; a completed one is "not found", as in Mesos.
     */
    public Answer teardownByOperator(String frameworkId) {
        Framework fw = frameworks.get(frameworkId);
        if (fw == null) {
            return new Answer(400, "No framework found with specified ID");
        }
        LOG.info("operator tears framework {} down", frameworkId);
        removeFramework(fw);
        return new Answer(200, "");
    }

    // ==== calls ================================================================================================

    /** Checks 11-16 of spec §1.3, then dispatches. */
    public Answer call(Call call, String streamIdHeader) {
        String fwId = call.getFrameworkId().getValue();
        Framework fw = frameworks.get(fwId);
        if (fw == null) {
            return new Answer(400, "Framework cannot be found");
        }
        if (fw.state != Framework.State.CONNECTED) {
            return new Answer(403, "Framework is not subscribed");
        }
        if (streamIdHeader == null) {
            return new Answer(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamIdHeader.equals(fw.stream.streamId())) {
            return new Answer(400, "The stream ID '" + streamIdHeader + "' included in this request didn't match "
                + "the stream ID currently associated with framework ID " + fwId);
        }
        switch (call.getType()) {
            case TEARDOWN -> removeFramework(fw);
            case ACCEPT -> accept(fw, call.getAccept());
            case DECLINE -> decline(fw, call.getDecline().getOfferIdsList(),
                call.getDecline().hasFilters() ? call.getDecline().getFilters() : null);
            case REVIVE -> revive(fw, call.getRevive().getRolesList());
            case SUPPRESS -> suppress(fw, call.getSuppress().getRolesList());
            case KILL -> kill(fw, call.getKill());
            case ACKNOWLEDGE -> acknowledge(fw, call.getAcknowledge());
            case RECONCILE -> reconcile(fw, call.getReconcile().getTasksList());
            case UPDATE_FRAMEWORK -> {
                return updateFramework(fw, call.getUpdateFramework());
            }
            case SHUTDOWN, MESSAGE, REQUEST, ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS,
                ACKNOWLEDGE_OPERATION_STATUS, RECONCILE_OPERATIONS ->
                LOG.debug("{} from framework {} has no effect on the local master", call.getType(), fwId);
            default -> {
                return new Answer(501, "");
            }
        }
        return Answer.ACCEPTED;
    }

    private Answer updateFramework(Framework fw, Call.UpdateFramework update) {
        FrameworkInfo next = update.getFrameworkInfo();
        if (!next.getPrincipal().equals(fw.info.getPrincipal())) {
            return new Answer(400, "Changing framework's principal is not allowed.");
        }
        if (!next.getUser().equals(fw.info.getUser())) {
            return new Answer(400, "Updating 'FrameworkInfo.user' is unsupported");
        }
        if (next.getCheckpoint() != fw.info.getCheckpoint()) {
            return new Answer(400, "Updating 'FrameworkInfo.checkpoint' is unsupported");
        }
        String error = Validation.frameworkInfo(next, update.getSuppressedRolesList());
        if (error != null) {
            return new Answer(400, error);
        }
        Set<String> oldRoles = new HashSet<>(fw.roles());
        fw.info = next;
        Set<String> newRoles = new HashSet<>(fw.roles());
        oldRoles.removeAll(newRoles);
        for (OfferRecord offer : new ArrayList<>(offers.values())) {
            if (offer.frameworkId.equals(fw.id) && oldRoles.contains(offer.role)) {
                rescind(offer);
            }
        }
        Set<String> unsuppressed = new HashSet<>(fw.suppressedRoles);
        unsuppressed.removeAll(update.getSuppressedRolesList());
        fw.filters.removeIf(f -> unsuppressed.contains(f.role()));
        fw.suppressedRoles.clear();
        fw.suppressedRoles.addAll(update.getSuppressedRolesList());
        loop.post(this::allocate);
        return new Answer(200, "");
    }

    private void acknowledge(Framework fw, Call.Acknowledge ack) {
        String agentId = ack.getAgentId().getValue();
        String taskId = ack.getTaskId().getValue();
        AgentRecord rec = agents.get(agentId);
        if (rec == null || rec.state != AgentRecord.State.ACTIVE) {
            return;
        }
        rec.agent.acknowledge(fw.id, taskId, ack.getUuid());
        MasterTask task = fw.tasks.get(taskId);
        if (task != null && task.lastForwarded != null && ack.getUuid().equals(task.statusUpdateUuid)
            && MasterTask.isTerminal(task.lastForwarded.getState())) {
            complete(fw, task, null);
        }
    }

    private void kill(Framework fw, Call.Kill kill) {
        String taskId = kill.getTaskId().getValue();
        MasterTask task = fw.tasks.get(taskId);
        if (task == null) {
            Call.Reconcile.Task.Builder entry = Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId());
            if (kill.hasAgentId()) {
                entry.setAgentId(kill.getAgentId());
            }
            reconcile(fw, List.of(entry.build()));
            return;
        }
        if (kill.hasAgentId() && !kill.getAgentId().getValue().equals(task.agentId)) {
            return;
        }
        Duration grace = kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()
            ? Duration.ofNanos(kill.getKillPolicy().getGracePeriod().getNanoseconds()) : null;
        AgentRecord rec = agents.get(task.agentId);
        if (rec == null) {
            return;
        }
        if (rec.state == AgentRecord.State.ACTIVE) {
            rec.agent.killTask(fw.id, taskId, grace);
        } else {
            rec.pendingKills.add(new AgentRecord.PendingKill(fw.id, taskId, grace));
        }
    }

    // ==== reconciliation =======================================================================================

    private void reconcile(Framework fw, List<Call.Reconcile.Task> requested) {
        for (TaskStatus answer : Reconciliation.answers(fw, requested, agents)) {
            send(fw, update(answer));
        }
    }

    // ==== offers ===============================================================================================

    private void decline(Framework fw, List<OfferID> ids, Filters filters) {
        for (OfferID id : ids) {
            OfferRecord offer = offers.get(id.getValue());
            if (offer == null || !offer.frameworkId.equals(fw.id)) {
                continue;
            }
            removeOffer(offer);
            addFilter(fw, offer.agentId, offer.role, offer.resources, filters);
        }
    }

    private void addFilter(Framework fw, String agentId, String role, ResourceBag refused, Filters filters) {
        double seconds = filters != null && filters.hasRefuseSeconds() ? filters.getRefuseSeconds() : DEFAULT_REFUSE_SECONDS;
        if (seconds < 0 || Double.isNaN(seconds)) {
            seconds = DEFAULT_REFUSE_SECONDS;
        }
        if (seconds == 0 || refused.isEmpty()) {
            return;
        }
        seconds = Math.min(seconds, MAX_REFUSE_SECONDS);
        long nanos = Math.max((long) (seconds * 1e9), config.allocationInterval().toNanos());
        fw.filters.add(new Framework.OfferFilter(agentId, role, refused, System.nanoTime() + nanos));
    }

    private void revive(Framework fw, List<String> roles) {
        List<String> target = roles.isEmpty() ? fw.roles() : roles;
        if (!fw.roles().containsAll(target)) {
            LOG.info("REVIVE of framework {} names a role it is not subscribed to; dropped", fw.id);
            return;
        }
        fw.suppressedRoles.removeAll(target);
        fw.filters.removeIf(f -> target.contains(f.role()));
        allocate();
    }

    private void suppress(Framework fw, List<String> roles) {
        List<String> target = roles.isEmpty() ? fw.roles() : roles;
        if (!fw.roles().containsAll(target)) {
            LOG.info("SUPPRESS of framework {} names a role it is not subscribed to; dropped", fw.id);
            return;
        }
        fw.suppressedRoles.addAll(target);
    }

    /** One allocation round: every active framework is offered what is free on each agent, one offer per agent. */
    public void allocate() {
        if (closed) {
            return;
        }
        List<Framework> eligible = new ArrayList<>();
        for (Framework fw : frameworks.values()) {
            // A framework that suppressed every role it has gets no offers this round: leaving it out early spares
            // the walk over every task below, which is most of a round once tens of thousands of tasks run.
            if (fw.state == Framework.State.CONNECTED && fw.active && !fw.suppressedRoles.containsAll(fw.roles())) {
                eligible.add(fw);
            }
        }
        if (eligible.isEmpty()) {
            return;
        }
        Map<String, ResourceBag> free = new HashMap<>();
        for (AgentRecord rec : agents.values()) {
            if (rec.state == AgentRecord.State.ACTIVE) {
                free.put(rec.id(), rec.total);
            }
        }
        // Sum what each agent has given away first, then subtract once per agent (see ResourceBag.Sum).
        Map<String, ResourceBag.Sum> used = new HashMap<>();
        for (Framework fw : frameworks.values()) {
            for (MasterTask t : fw.tasks.values()) {
                if (t.consumesResources() && free.containsKey(t.agentId)) {
                    used.computeIfAbsent(t.agentId, k -> new ResourceBag.Sum()).add(t.resources);
                }
            }
        }
        for (OfferRecord offer : offers.values()) {
            if (free.containsKey(offer.agentId)) {
                used.computeIfAbsent(offer.agentId, k -> new ResourceBag.Sum()).add(offer.resources);
            }
        }
        used.forEach((agentId, sum) -> free.put(agentId, free.get(agentId).minus(sum.toBag())));
        long nowNanos = System.nanoTime();
        int start = allocationRotation++ % eligible.size();
        Map<Framework, List<Offer>> batches = new LinkedHashMap<>();
        for (int i = 0; i < eligible.size(); i++) {
            Framework fw = eligible.get((start + i) % eligible.size());
            fw.filters.removeIf(f -> f.expiresAtNanos() <= nowNanos);
            for (AgentRecord rec : agents.values()) {
                ResourceBag available = free.get(rec.id());
                if (available == null || available.isEmpty() || !hasMinimum(available)) {
                    continue;
                }
                for (String role : fw.roles()) {
                    if (fw.suppressedRoles.contains(role) || filtered(fw, rec.id(), role, available)) {
                        continue;
                    }
                    OfferRecord offer = createOffer(fw, rec, role, available);
                    batches.computeIfAbsent(fw, k -> new ArrayList<>()).add(offer.offer);
                    free.put(rec.id(), ResourceBag.EMPTY);
                    break;
                }
            }
        }
        batches.forEach((fw, list) -> send(fw, Event.newBuilder().setType(Event.Type.OFFERS)
            .setOffers(Event.Offers.newBuilder().addAllOffers(list)).build()));
    }

    /** Mesos's default --min_allocatable_resources: cpus:0.01 or mem:32. */
    private static boolean hasMinimum(ResourceBag available) {
        return available.scalar("cpus") >= 0.01 || available.scalar("mem") >= 32;
    }

    private static boolean filtered(Framework fw, String agentId, String role, ResourceBag available) {
        for (Framework.OfferFilter f : fw.filters) {
            if (f.agentId().equals(agentId) && f.role().equals(role) && f.refused().contains(available)) {
                return true;
            }
        }
        return false;
    }

    private OfferRecord createOffer(Framework fw, AgentRecord rec, String role, ResourceBag resources) {
        String id = masterId + "-O" + offerCounter++;
        boolean multiRole = fw.multiRole();
        boolean refinement = fw.hasCapability(FrameworkInfo.Capability.Type.RESERVATION_REFINEMENT);
        Offer.Builder offer = Offer.newBuilder()
            .setId(OfferID.newBuilder().setValue(id))
            .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
            .setAgentId(AgentID.newBuilder().setValue(rec.id()))
            .setHostname(rec.agent.spec().hostname())
            .setUrl(URL.newBuilder().setScheme("http")
                .setAddress(org.apache.mesos.v1.Protos.Address.newBuilder()
                    .setHostname(rec.agent.spec().hostname()).setIp("127.0.0.1").setPort(rec.agent.port()))
                .setPath("/slave(1)"));
        if (multiRole) {
            offer.setAllocationInfo(org.apache.mesos.v1.Protos.Resource.AllocationInfo.newBuilder().setRole(role));
        }
        offer.addAllResources(resources.toProtos(refinement ? null : "*", multiRole ? role : null));
        rec.agent.spec().attributes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(a ->
            offer.addAttributes(Attribute.newBuilder().setName(a.getKey()).setType(Value.Type.TEXT)
                .setText(Value.Text.newBuilder().setValue(a.getValue()))));
        OfferRecord record = new OfferRecord(id, fw.id, rec.id(), role, resources, offer.build());
        offers.put(id, record);
        if (offerTimeout != null) {
            record.timeout = loop.schedule(offerTimeout, () -> {
                if (offers.get(id) == record) {
                    LOG.info("offer {} timed out", id);
                    rescind(record);
                }
            });
        }
        return record;
    }

    private void removeOffer(OfferRecord offer) {
        offers.remove(offer.id);
        if (offer.timeout != null) {
            offer.timeout.cancel(false);
        }
    }

    private void rescind(OfferRecord offer) {
        removeOffer(offer);
        Framework fw = frameworks.get(offer.frameworkId);
        if (fw != null) {
            send(fw, Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(OfferID.newBuilder().setValue(offer.id))).build());
        }
    }

    private void rescindOffersOn(String agentId) {
        for (OfferRecord offer : new ArrayList<>(offers.values())) {
            if (offer.agentId.equals(agentId)) {
                rescind(offer);
            }
        }
    }

    private void discardOffersOf(Framework fw, boolean withRescind) {
        for (OfferRecord offer : new ArrayList<>(offers.values())) {
            if (offer.frameworkId.equals(fw.id)) {
                if (withRescind) {
                    rescind(offer);
                } else {
                    removeOffer(offer);
                }
            }
        }
    }

    public void offerTimeout(Duration timeout) {
        this.offerTimeout = timeout;
    }

    // ==== ACCEPT ===============================================================================================

    private void accept(Framework fw, Call.Accept accept) {
        List<TaskInfo> launches = new ArrayList<>();
        boolean launchHasId = false;
        for (Offer.Operation op : accept.getOperationsList()) {
            if (op.getType() == Offer.Operation.Type.LAUNCH) {
                launches.addAll(op.getLaunch().getTaskInfosList());
            }
        }
        String offerError = Validation.offers(fw, accept.getOfferIdsList(), offers);
        if (offerError != null) {
            for (OfferID id : accept.getOfferIdsList()) {
                OfferRecord offer = offers.get(id.getValue());
                if (offer != null) {
                    removeOffer(offer);
                }
            }
            for (TaskInfo task : launches) {
                send(fw, update(masterStatus(task.getTaskId(),
                    fw.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
                    "Task launched with invalid offers: " + offerError, TaskStatus.Reason.REASON_INVALID_OFFERS,
                    task.hasAgentId() ? task.getAgentId().getValue() : null).build()));
            }
            return;
        }
        ResourceBag available = ResourceBag.EMPTY;
        OfferRecord first = null;
        for (OfferID id : accept.getOfferIdsList()) {
            OfferRecord offer = offers.get(id.getValue());
            removeOffer(offer);
            available = available.plus(offer.resources);
            first = first == null ? offer : first;
        }
        AgentRecord rec = agents.get(first.agentId);
        Filters filters = accept.hasFilters() ? accept.getFilters() : null;
        if (rec == null || rec.state != AgentRecord.State.ACTIVE) {
            boolean removed = rec == null || rec.state != AgentRecord.State.DISCONNECTED;
            for (TaskInfo task : launches) {
                send(fw, update(masterStatus(task.getTaskId(),
                    fw.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
                    removed ? "Agent removed" : "Agent disconnected",
                    removed ? TaskStatus.Reason.REASON_AGENT_REMOVED : TaskStatus.Reason.REASON_AGENT_DISCONNECTED,
                    first.agentId).build()));
            }
            return;
        }
        Set<String> launchedNow = new HashSet<>();
        for (Offer.Operation op : accept.getOperationsList()) {
            if (op.getType() != Offer.Operation.Type.LAUNCH) {
                LOG.info("operation {} is not simulated by the local master; ignored", op.getType());
                continue;
            }
            for (TaskInfo task : op.getLaunch().getTaskInfosList()) {
                String error = op.hasId() ? "The `id` field cannot be set on LAUNCH operations"
                    : Validation.task(fw, task, first.agentId, available, launchedNow,
                        first.offer.getResourcesList(), first.role);
                if (error != null) {
                    send(fw, update(masterStatus(task.getTaskId(), TaskState.TASK_ERROR, error,
                        TaskStatus.Reason.REASON_TASK_INVALID,
                        task.hasAgentId() ? task.getAgentId().getValue() : null).build()));
                    continue;
                }
                ResourceBag needed = ResourceBag.fromProtos(task.getResourcesList());
                available = available.minus(needed);
                MasterTask mt = new MasterTask(fw.id, first.agentId, task, needed);
                fw.tasks.put(mt.id(), mt);
                launchedNow.add(mt.id());
                rec.agent.runTask(fw.id, fw.info, task);
            }
        }
        addFilter(fw, first.agentId, first.role, available, filters);
    }

    // ==== helpers ==============================================================================================

    private static double now() {
        return MesosTime.nowSeconds();
    }

    static TaskStatus.Builder masterStatus(TaskID taskId, TaskState state, String message, TaskStatus.Reason reason,
                                           String agentId) {
        TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(taskId).setState(state)
            .setSource(TaskStatus.Source.SOURCE_MASTER).setTimestamp(now());
        if (message != null) {
            b.setMessage(message);
        }
        if (reason != null) {
            b.setReason(reason);
        }
        if (agentId != null && !agentId.isEmpty()) {
            b.setAgentId(AgentID.newBuilder().setValue(agentId));
        }
        return b;
    }

    private static Event update(TaskStatus status) {
        return Event.newBuilder().setType(Event.Type.UPDATE)
            .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    }

    private static Event errorEvent(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR)
            .setError(Event.Error.newBuilder().setMessage(message)).build();
    }

    /** Events go only to connected frameworks; for others they are dropped, as Framework::send does. */
    private void send(Framework fw, Event event) {
        if (fw.state == Framework.State.CONNECTED && fw.stream != null) {
            fw.stream.send(event);
        }
    }

    // ==== fault injection & lifecycle ==========================================================================

    public void suspendHeartbeats(boolean suspended) {
        this.heartbeatsSuspended = suspended;
    }

    public void dropSubscription(String frameworkId) {
        Framework fw = frameworks.get(frameworkId);
        if (fw != null && fw.stream != null) {
            fw.stream.close();
        }
    }

    public void injectStreamBytes(String frameworkId, byte[] raw) {
        Framework fw = frameworks.get(frameworkId);
        if (fw != null && fw.stream != null) {
            fw.stream.sendRaw(raw);
        }
    }

    /** Stops this master: closes every stream, cancels timers. Agents are detached by the caller. */
    public void shutdown() {
        closed = true;
        if (allocationTimer != null) {
            allocationTimer.cancel(false);
        }
        for (Framework fw : frameworks.values()) {
            if (fw.heartbeat != null) {
                fw.heartbeat.cancel(false);
            }
            if (fw.failoverTimer != null) {
                fw.failoverTimer.cancel(false);
            }
            if (fw.stream != null) {
                fw.stream.close();
            }
        }
        for (AgentRecord rec : agents.values()) {
            rec.cancelTimers();
        }
        offers.values().forEach(o -> {
            if (o.timeout != null) {
                o.timeout.cancel(false);
            }
        });
    }

    // ==== views for /state =====================================================================================

    public StateView stateView() {
        return new StateView(this);
    }

    Map<String, AgentRecord> agents() {
        return agents;
    }

    Map<String, Framework> frameworks() {
        return frameworks;
    }

    Deque<Framework> completed() {
        return completed;
    }

    Map<String, OfferRecord> offers() {
        return offers;
    }

}
