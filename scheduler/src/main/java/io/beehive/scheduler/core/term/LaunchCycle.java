package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.launch.OfferReader;
import io.beehive.scheduler.core.launch.TaskInfoFactory;
import io.beehive.scheduler.core.offer.AgentOffer;
import io.beehive.scheduler.core.offer.Demand;
import io.beehive.scheduler.core.offer.Match;
import io.beehive.scheduler.core.offer.OfferMatcher;
import io.beehive.scheduler.core.offer.Placement;
import io.beehive.state.NotLeaderException;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One offer cycle: the offers' agents are learned, pending demand is matched to the offers, ALL the new task
 * records of the cycle are written in one fenced batch, and only when that batch is durable is ACCEPT with LAUNCH
 * sent (invariant 3). What is not used is declined; with nothing to place, offers are suppressed.
 */
final class LaunchCycle {
    private static final Logger LOG = LoggerFactory.getLogger(LaunchCycle.class);

    private final TermContext ctx;
    private final Map<String, Placement> knownAgents;
    private final DemandPlanner planner;
    private final OfferFlow offerFlow;
    private final OfferMatcher matcher = new OfferMatcher();

    /** @param knownAgents agents learned from offers (id → where it is); filled here, shared with the planner */
    LaunchCycle(TermContext ctx, Map<String, Placement> knownAgents, DemandPlanner planner, OfferFlow offerFlow) {
        this.ctx = ctx;
        this.knownAgents = knownAgents;
        this.planner = planner;
        this.offerFlow = offerFlow;
    }

    void onOffers(List<Offer> offers) {
        ctx.metrics.offersReceived.inc(offers.size());
        for (Offer o : offers) {
            AgentOffer a = OfferReader.read(o);
            knownAgents.put(a.agentId(), new Placement("", a.agentId(), a.hostname(), a.attributes()));
        }
        if (!ctx.gate.mayLaunch()) {
            offerFlow.decline(offers, ctx.config.declineFilter());
            return;
        }
        long now = System.currentTimeMillis();
        List<Demand> demands = planner.demands(ctx.book, knownAgents.keySet(), now);
        if (demands.isEmpty()) {
            offerFlow.decline(offers, ctx.config.idleDeclineFilter());
            offerFlow.suppress();
            return;
        }
        List<Placement> placed = new ArrayList<>();
        for (TaskRecord t : ctx.book.liveTasks()) {
            Placement where = t.agentId() == null ? null : knownAgents.get(t.agentId());
            placed.add(new Placement(t.jobId(), t.agentId(), where == null ? t.hostname() : where.hostname(),
                    where == null ? Map.of() : where.attributes()));
        }
        List<Demand> remaining = new ArrayList<>(demands);
        Map<String, Map<String, Integer>> attempts = new HashMap<>(); // per job, computed once per offer cycle
        Map<Offer, List<TaskRecord>> launches = new LinkedHashMap<>();
        List<Offer> unused = new ArrayList<>();
        for (Offer offer : offers) {
            AgentOffer a = OfferReader.read(offer);
            List<Match> matches = matcher.match(a, remaining, placed, ctx.book.blacklistedAgents());
            if (matches.isEmpty()) {
                unused.add(offer);
                continue;
            }
            List<TaskRecord> records = new ArrayList<>();
            Set<Demand> placedNow = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Match m : matches) {
                Demand d = m.demand();
                placedNow.add(d);
                int attempt = attempts.computeIfAbsent(d.jobId(),
                                j -> DemandPlanner.nextAttempts(ctx.book.tasksOf(j)))
                        .getOrDefault(DemandPlanner.attemptKey(d.instance(), d.requiredAgentId()), 0);
                TaskRecord r = new TaskRecord(TaskIds.next(d.jobId(), d.instance(), attempt), d.jobId(),
                        d.instance(), a.agentId(), a.hostname(), TaskState.TASK_STAGING, null, now, now,
                        DesiredState.RUNNING, 0, attempt, m.ports()).launchedAs(job(d).runVersion(),
                        job(d).healthCheck() != null);
                ctx.book.putTask(r);
                records.add(r);
                placed.add(new Placement(d.jobId(), a.agentId(), a.hostname(), a.attributes()));
            }
            launches.put(offer, records);
            // Filter once per offer: removing matched demands one by one from a long list is quadratic.
            remaining.removeIf(placedNow::contains);
        }
        offerFlow.decline(unused, ctx.config.declineFilter());
        if (!launches.isEmpty()) {
            writeThenLaunch(launches);
        }
    }

    private JobRecord job(Demand d) {
        return ctx.book.job(d.jobId());
    }

    /** Invariant 3: every record of this offer cycle is durable (one fenced batch) before any LAUNCH is sent. */
    private void writeThenLaunch(Map<Offer, List<TaskRecord>> launches) {
        List<TaskRecord> all = new ArrayList<>();
        launches.values().forEach(all::addAll);
        ctx.writer.submit(b -> b.putTasks(all), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                all.forEach(r -> ctx.events.taskStateChanged(r, null));
                launch(launches);
            }

            @Override
            public void failed(Throwable error) {
                ctx.metrics.launchesAbandoned.inc(all.size());
                LOG.warn("Term {}: writing {} task records failed ({}); not launching them", ctx.number, all.size(),
                        error.toString());
                if (ctx.gate.current()) {
                    offerFlow.decline(new ArrayList<>(launches.keySet()), ctx.config.declineFilter());
                }
                if (!(error instanceof NotLeaderException)) {
                    // Nothing (or only part) landed; the records stay STAGING and the staging probe settles them.
                    LOG.info("Term {}: the unlaunched STAGING records will be reconciled and replaced", ctx.number);
                }
            }
        });
    }

    private void launch(Map<Offer, List<TaskRecord>> launches) {
        if (!ctx.gate.mayLaunch()) {
            // Suspended (or deposed) while the records were written: the records stay STAGING and are reconciled
            // (Mesos answers that it never heard of them) and replaced once the term acts again.
            LOG.info("Term {}: phase {} — not launching {} written tasks", ctx.number, ctx.gate.phase(),
                    launches.values().stream().mapToInt(List::size).sum());
            if (ctx.gate.current()) {
                offerFlow.decline(new ArrayList<>(launches.keySet()), ctx.config.declineFilter());
            }
            return;
        }
        for (Map.Entry<Offer, List<TaskRecord>> e : launches.entrySet()) {
            Offer offer = e.getKey();
            List<TaskInfo> infos = new ArrayList<>();
            for (TaskRecord r : e.getValue()) {
                JobRecord job = ctx.book.job(r.jobId());
                if (job != null && job.goal() == JobGoal.RUNNING) {
                    infos.add(TaskInfoFactory.build(job, r, offer));
                }
            }
            if (infos.isEmpty()) {
                offerFlow.decline(List.of(offer), ctx.config.declineFilter());
                continue;
            }
            Filters filters = Filters.newBuilder()
                    .setRefuseSeconds(ctx.config.declineFilter().toMillis() / 1000.0).build();
            ctx.driver().launchTasks(List.of(offer.getId()), infos, filters).whenComplete((ok, err) -> {
                if (err != null) {
                    LOG.warn("Term {}: LAUNCH on offer {} failed: {}; the staging probe will settle the tasks",
                            ctx.number, offer.getId().getValue(), err.toString());
                }
            });
            ctx.metrics.tasksLaunched.inc(infos.size());
            LOG.debug("Term {}: launched {} tasks on {}", ctx.number, infos.size(), offer.getHostname());
        }
    }
}
