package io.beehive.scheduler.core;

import com.codahale.metrics.MetricRegistry;
import io.beehive.election.ElectionSettings;
import io.beehive.election.LeaderElection;
import io.beehive.election.LeaderInfo;
import io.beehive.scheduler.core.term.JobCreation;
import io.beehive.scheduler.core.term.LeaderTerm;
import io.beehive.scheduler.core.term.NotLeadingException;
import io.beehive.scheduler.core.term.TaskBook;
import io.beehive.state.StateMirror;
import io.beehive.state.StateStore;
import io.beehive.state.StateStoreConfig;
import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.curator.framework.CuratorFramework;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One Beehive replica: election, state store and scheduling lifecycle on one ZooKeeper client. The Dropwizard
 * application builds one from its configuration, calls {@link #start()}, and serves the REST API from the commands
 * (which fail with {@link NotLeadingException} on a follower: forward to {@link #leader()}) and the read-only views
 * (which are empty on a follower).
 */
public final class BeehiveScheduler implements AutoCloseable {
    private final StateStore store;
    private final SchedulerLifecycle lifecycle;
    private final LeaderElection election;

    /** @param zookeeper a started client without namespace; not closed by this class */
    public BeehiveScheduler(CuratorFramework zookeeper, ElectionSettings electionSettings, StateStoreConfig stateConfig,
                            MesosConnection mesos, CoreConfig config, MetricRegistry metrics, FatalErrorHandler fatal) {
        this.store = StateStore.open(zookeeper, stateConfig);
        // Before the election: a replica follows the state from the start, so it is ready to lead when elected.
        MirrorMetrics.register(metrics, store.startMirror());
        this.lifecycle = new SchedulerLifecycle(store, config, mesos, metrics, fatal,
                electionSettings.participantId());
        this.election = new LeaderElection(zookeeper, electionSettings, lifecycle);
        lifecycle.onStepDown(election::abdicate);
        lifecycle.actOnlyWhile(election::isLeader);
    }

    public void start() {
        election.start();
    }

    /** Graceful stop: hands leadership over (election close), closes the Mesos subscription without teardown. */
    @Override
    public void close() {
        election.close();
        lifecycle.stop();
        store.close();
    }

    /** Gives leadership to another replica (operator action); false if this replica did not lead. */
    public boolean abdicate() {
        return election.abdicate();
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /** Creates the job; an identical one that exists already is the answer (a retried create), another refused. */
    public CompletableFuture<JobRecord> createJob(JobRecord job) {
        return createJobOrFindIdentical(job).thenApply(JobCreation::job);
    }

    /** As {@link #createJob}, telling a job created from an identical one found. */
    public CompletableFuture<JobCreation> createJobOrFindIdentical(JobRecord job) {
        return onLeader(t -> t.createJob(job));
    }

    public CompletableFuture<JobRecord> scaleJob(String jobId, int instances) {
        return scaleJob(jobId, instances, OptionalLong.empty());
    }

    /** @param ifVersion the version the job must be at (If-Match), checked atomically with the write */
    public CompletableFuture<JobRecord> scaleJob(String jobId, int instances, OptionalLong ifVersion) {
        return onLeader(t -> t.scaleJob(jobId, instances, ifVersion));
    }

    public CompletableFuture<JobRecord> updateJob(JobRecord job, boolean force) {
        return updateJob(job, force, OptionalLong.empty());
    }

    /** @param ifVersion the version the job must be at (If-Match), checked atomically with the write */
    public CompletableFuture<JobRecord> updateJob(JobRecord job, boolean force, OptionalLong ifVersion) {
        return onLeader(t -> t.updateJob(job, force, ifVersion));
    }

    public CompletableFuture<JobRecord> rollbackJob(String jobId) {
        return onLeader(t -> t.rollbackJob(jobId));
    }

    public CompletableFuture<JobRecord> cancelDeployment(String jobId) {
        return onLeader(t -> t.cancelDeployment(jobId));
    }

    public CompletableFuture<JobRecord> restartJob(String jobId, boolean force) {
        return onLeader(t -> t.restartJob(jobId, force));
    }

    public CompletableFuture<JobRecord> deleteJob(String jobId) {
        return deleteJob(jobId, OptionalLong.empty());
    }

    /** @param ifVersion the version the job must be at (If-Match), checked atomically with the write */
    public CompletableFuture<JobRecord> deleteJob(String jobId, OptionalLong ifVersion) {
        return onLeader(t -> t.deleteJob(jobId, ifVersion));
    }

    public CompletableFuture<Void> killTask(String taskId) {
        return onLeader(t -> t.killTask(taskId));
    }

    public CompletableFuture<BlacklistEntry> blacklistAgent(String agentId, String reason) {
        return onLeader(t -> t.blacklistAgent(agentId, reason));
    }

    public CompletableFuture<Void> unblacklistAgent(String agentId) {
        return onLeader(t -> t.unblacklistAgent(agentId));
    }

    /**
     * Reconciles every task with Mesos now (explicit, then implicit), on the leader; completes with the time the
     * reconciliation finished. Fails with {@link NotLeadingException} on a follower.
     */
    public CompletableFuture<Instant> reconcileNow() {
        return onLeader(LeaderTerm::reconcileNow);
    }

    private <T> CompletableFuture<T> onLeader(Function<LeaderTerm, CompletableFuture<T>> command) {
        Optional<LeaderTerm> t = lifecycle.term();
        if (t.isEmpty() || !election.isLeader()) { // isLeader: the lease, read now (a term may outlive it briefly)
            return CompletableFuture.failedFuture(new NotLeadingException("this replica is not the leader"
                    + leader().map(l -> "; the leader is " + l.participantId()).orElse("")));
        }
        return command.apply(t.get());
    }

    // ---- read-only views ---------------------------------------------------------------------------------------

    public LifecyclePhase phase() {
        return lifecycle.phase();
    }

    /**
     * Whether this replica leads at this very moment: the election's lease is checked against the clock, so a process
     * that wakes from a pause past its lease says no at once (what {@code /leaderhealth} and the forwarding of
     * writes to the leader rely on).
     */
    public boolean isLeader() {
        return election.isLeader();
    }

    public Optional<LeaderInfo> leader() {
        return election.currentLeader();
    }

    /** The leading Mesos master as this replica knows it (followers too: they follow the masters ahead of time). */
    public Optional<java.net.URI> leadingMaster() {
        return lifecycle.leadingMaster();
    }

    public Optional<String> frameworkId() {
        return lifecycle.term().flatMap(LeaderTerm::frameworkId);
    }

    public Collection<JobRecord> jobs() {
        return book().map(TaskBook::jobs).orElse(List.of());
    }

    public Optional<JobRecord> job(String jobId) {
        return book().map(b -> b.job(jobId));
    }

    public Collection<TaskRecord> tasks() {
        return book().map(TaskBook::tasks).orElse(List.of());
    }

    public Collection<TaskRecord> tasksOf(String jobId) {
        return book().map(b -> b.tasksOf(jobId)).orElse(List.of());
    }

    public Map<TaskState, Long> taskCountsByState() {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        for (TaskRecord t : tasks()) {
            counts.merge(t.state(), 1L, Long::sum);
        }
        return counts;
    }

    public Collection<BlacklistEntry> blacklist() {
        return book().map(TaskBook::blacklistEntries).orElse(List.of());
    }

    public Optional<Instant> lastReconciliation() {
        return lifecycle.term().flatMap(LeaderTerm::lastReconciliation);
    }

    public Optional<Instant> lastFailoverAt() {
        return lifecycle.lastFailoverAt();
    }

    public Optional<Duration> lastFailoverDuration() {
        return lifecycle.lastFailoverDuration();
    }

    /** Registers an observer of task and phase changes (see {@link SchedulerEventListener} for its contract). */
    public void addEventListener(SchedulerEventListener listener) {
        lifecycle.events().add(listener);
    }

    /** Every record, followed in memory (what a follower serves reads from and a new leader starts from). */
    public StateMirror mirror() {
        return store.mirror().orElseThrow();
    }

    public CoreMetrics metrics() {
        return lifecycle.metrics();
    }

    private Optional<TaskBook> book() {
        return lifecycle.term().flatMap(LeaderTerm::book);
    }
}
