package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A storm of task launches while the leader is stopped again and again. Service jobs of long-running tasks and a
 * stream of batch jobs (one short task each) are submitted through HAProxy by three client threads that retry
 * across fail-overs; meanwhile the leader is sent SIGTERM and SIGKILL in turn, each killed replica is restarted
 * with up.sh (so three replicas run again) and all replicas must agree before the next kill. The Mesos master and
 * the event stream are watched throughout; {@link Report} holds what the checks need.
 */
final class FailoverStorm {
    /** History the leader keeps per job (CoreConfig's default): older terminal records may be pruned by design. */
    static final int HISTORY_PER_JOB = 10;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    /**
     * @param serviceJobs          long-running service jobs ({@code svc-N})
     * @param instancesPerService  instances of each
     * @param batchJobs            batch jobs ({@code b-NNNN}), each one task of {@code sleep 1}
     * @param kills                leader kills, alternating SIGTERM and SIGKILL
     * @param goalPatience         how long the jobs may take to reach their goal once the kills are over
     */
    record Plan(int serviceJobs, int instancesPerService, int batchJobs, int kills, Duration goalPatience) {
        int launches() {
            return serviceJobs * instancesPerService + batchJobs;
        }
    }

    /** One leader kill: the signal, the replica, and signal → another replica leading and ACTIVE. */
    record Kill(String signal, int replica, long newLeaderActiveMillis) {}

    /**
     * @param launched        every task id the master or the event stream ever showed
     * @param reachedRunning  every task id the master or the event stream ever showed RUNNING
     * @param lost            ids that reached RUNNING and Beehive no longer knows, beyond what the history limit prunes
     * @param prunedByHistory ids Beehive no longer knows whose job has {@value #HISTORY_PER_JOB} newer terminal records
     * @param excesses        moments the master ran more copies of a job than allowed
     * @param orphans         tasks live at the master at the end that Beehive does not know
     */
    record Report(Plan plan, List<Kill> kills, Set<String> launched, Set<String> reachedRunning, Set<String> lost,
                  Set<String> prunedByHistory, List<MasterWatcher.Excess> excesses, Set<String> orphans,
                  long stormMillis, long goalMillis, int eventStreamConnections) {
        String summary() {
            return String.format("STORM %d service jobs x %d + %d batch jobs, %d kills (%s): %d tasks launched, %d reached "
                    + "RUNNING, %d lost, %d pruned by the history limit, %d excess sightings, %d orphans; storm %d s, "
                    + "goal reached %d s after the last kill; event stream connected %d times",
                plan.serviceJobs, plan.instancesPerService, plan.batchJobs, kills.size(),
                kills.stream().map(k -> k.signal + " " + k.newLeaderActiveMillis + " ms").toList(), launched.size(),
                reachedRunning.size(), lost.size(), prunedByHistory.size(), excesses.size(), orphans.size(),
                stormMillis / 1000, goalMillis / 1000, eventStreamConnections);
        }
    }

    private final LocalDeployment deployment;
    private final BeehiveApi api;

    FailoverStorm(LocalDeployment deployment) {
        this.deployment = deployment;
        this.api = new BeehiveApi(deployment);
    }

    Report run(Plan plan) throws Exception {
        String frameworkId = ReplicaAgreement.await(deployment, null).frameworkId();
        Map<String, Integer> allowed = new HashMap<>();
        for (int s = 1; s <= plan.serviceJobs; s++) {
            allowed.put("svc-" + s, plan.instancesPerService);
        }
        List<String> batchIds = new ArrayList<>();
        for (int b = 1; b <= plan.batchJobs; b++) {
            batchIds.add(String.format("b-%04d", b));
            allowed.put(batchIds.get(b - 1), 1);
        }
        long started = System.nanoTime();
        List<Kill> kills = new ArrayList<>();
        long goalMillis;
        try (TaskEventStream events = new TaskEventStream(deployment.api("/v1/events"));
             MasterWatcher master = new MasterWatcher(deployment, frameworkId, job -> allowed.getOrDefault(job, Integer.MAX_VALUE))) {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            AtomicInteger submitted = new AtomicInteger();
            List<Future<?>> submissions = new ArrayList<>();
            try {
                for (int s = 1; s <= plan.serviceJobs; s++) {
                    String json = BeehiveApi.serviceJob("svc-" + s, plan.instancesPerService, "exec sleep 3600", 0.02, 4);
                    submissions.add(clients.submit(() -> {
                        api.createJob(json, PATIENCE);
                        submitted.incrementAndGet();
                    }));
                }
                // the batch jobs come in waves, one per kill (and one after the last): each kill lands in the middle of
                // a wave, with submissions in flight (they retry across the fail-over) and launches under way
                int waves = plan.kills + 1;
                for (int w = 0; w < waves; w++) {
                    List<String> wave = batchIds.subList(w * batchIds.size() / waves, (w + 1) * batchIds.size() / waves);
                    int seenBefore = master.seen().size();
                    for (String id : wave) {
                        String json = BeehiveApi.batchJob(id, "exec sleep 1", 0.02, 4);
                        submissions.add(clients.submit(() -> {
                            api.createJob(json, PATIENCE);
                            submitted.incrementAndGet();
                        }));
                    }
                    if (w == plan.kills) {
                        break;
                    }
                    int threshold = seenBefore + Math.max(1, wave.size() / 3);
                    await("a third of wave " + (w + 1) + " launched before kill " + (w + 1)).atMost(Duration.ofMinutes(10))
                        .pollInterval(Duration.ofMillis(100)).until(() -> master.seen().size() >= threshold);
                    kills.add(killLeader(w % 2 == 0 ? "TERM" : "KILL", frameworkId));
                    System.out.printf("kill %d/%d: %s; %d jobs submitted, %d tasks seen at the master%n", w + 1,
                        plan.kills, kills.get(w), submitted.get(), master.seen().size());
                }
                for (Future<?> f : submissions) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
            }
            long lastKill = System.nanoTime();
            awaitGoal(plan, batchIds, plan.goalPatience());
            goalMillis = (System.nanoTime() - lastKill) / 1_000_000;
            ReplicaAgreement.await(deployment, frameworkId);
            // the watchers' last look, after the goal: one more master poll and the stream's tail
            int polls = master.polls();
            await("a last master poll").atMost(PATIENCE).until(() -> master.polls() > polls + 1);

            Set<String> launched = new TreeSet<>(master.seen());
            Set<String> reachedRunning = new TreeSet<>(master.seenRunning());
            reachedRunning.addAll(events.runningTaskIds());
            launched.addAll(reachedRunning);
            Map<String, JsonNode> known = knownTasks();
            Set<String> lost = new TreeSet<>();
            Set<String> pruned = new TreeSet<>();
            for (String id : reachedRunning) {
                if (!known.containsKey(id) && api.taskStatus(id) != 200) {
                    (terminalRecords(known, MesosMasterState.jobOf(id)) >= HISTORY_PER_JOB ? pruned : lost).add(id);
                }
            }
            Set<String> orphans = new TreeSet<>();
            MesosMasterState.read(deployment, frameworkId).orElseThrow().liveTasksByJob().values()
                .forEach(ids -> ids.stream().filter(id -> !known.containsKey(id)).forEach(orphans::add));
            return new Report(plan, kills, launched, reachedRunning, lost, pruned, master.excesses(), orphans,
                (lastKill - started) / 1_000_000, goalMillis, events.connections());
        }
    }

    /** Signals the leader, waits for another replica to lead (ACTIVE), restarts the signalled one, waits for agreement. */
    private Kill killLeader(String signal, String frameworkId) throws Exception {
        ReplicaAgreement before = ReplicaAgreement.await(deployment, frameworkId);
        int replica = before.leaderReplica(deployment);
        ProcessHandle process = deployment.process("replica" + replica).orElseThrow();
        LeaderProbe probe = new LeaderProbe(deployment);
        Map<Integer, Long> terms = probe.termsInOffice();
        long signalled = System.nanoTime();
        deployment.signal("replica" + replica, signal);
        await("another replica leading and ACTIVE after SIG" + signal).atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
            .until(() -> probe.newTermActive(replica, terms), Optional::isPresent);
        long activeMillis = (System.nanoTime() - signalled) / 1_000_000;
        await("replica" + replica + " exited after SIG" + signal).atMost(PATIENCE).until(() -> !process.isAlive());
        LocalDeployment.ScriptResult up = deployment.up();
        if (up.exitCode() != 0) {
            throw new IllegalStateException("up.sh could not restart replica" + replica + ":\n" + up.output());
        }
        ReplicaAgreement.await(deployment, frameworkId);
        return new Kill("SIG" + signal, replica, activeMillis);
    }

    /** Every service job at its instances RUNNING, every batch job with a FINISHED task. */
    private void awaitGoal(Plan plan, List<String> batchIds, Duration patience) {
        await("every job at its goal").atMost(patience).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, JsonNode> tasks = knownTasks();
            if (tasks.isEmpty()) {
                return false;
            }
            Map<String, Integer> running = new HashMap<>();
            Set<String> finished = new HashSet<>();
            tasks.values().forEach(t -> {
                String state = t.path("state").asText();
                if (state.equals("TASK_RUNNING")) {
                    running.merge(t.path("jobId").asText(), 1, Integer::sum);
                } else if (state.equals("TASK_FINISHED")) {
                    finished.add(t.path("jobId").asText());
                }
            });
            for (int s = 1; s <= plan.serviceJobs; s++) {
                if (running.getOrDefault("svc-" + s, 0) != plan.instancesPerService) {
                    return false;
                }
            }
            return finished.containsAll(batchIds);
        });
    }

    private Map<String, JsonNode> knownTasks() {
        Map<String, JsonNode> out = new HashMap<>();
        api.allTasks().orElse(List.of()).forEach(t -> out.put(t.path("taskId").asText(), t));
        return out;
    }

    private static long terminalRecords(Map<String, JsonNode> known, String jobId) {
        return known.values().stream().filter(t -> t.path("jobId").asText().equals(jobId))
            .filter(t -> !MesosMasterState.LIVE.contains(t.path("state").asText())).count();
    }
}
