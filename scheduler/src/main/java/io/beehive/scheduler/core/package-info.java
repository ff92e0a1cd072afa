/**
 * The scheduling core: what one Beehive replica does as leader.
 *
 * <p>{@link io.beehive.scheduler.core.BeehiveScheduler} is the facade the application builds: election, state store
 * and {@link io.beehive.scheduler.core.SchedulerLifecycle} on one Curator client. The lifecycle is the replica's one
 * state machine ({@link io.beehive.scheduler.core.LifecyclePhase}: STANDBY → LOADING → SUBSCRIBING → RECONCILING →
 * ACTIVE ⇄ SUSPENDED → … → STANDBY; STOPPED), driven by the election's callbacks. Each leadership term is a
 * {@link io.beehive.scheduler.core.term.LeaderTerm} with its own event loop, in-memory state and Mesos driver; a
 * deposed term is closed (subscription closed without TEARDOWN) and forgotten. Inside a term, one class per concern:
 * status updates ({@code StatusUpdateHandler}), the offer/launch cycle ({@code LaunchCycle}), operator commands
 * ({@code JobCommands}), the periodic sweep ({@code Housekeeping}), reconciliation ({@code ReconciliationDriver}),
 * offer flow ({@code OfferFlow}), kills ({@code TaskKiller}, {@code KillSender}) and what the term may do now
 * ({@code TermGate}).
 *
 * <p>What the core tells others: durable task changes and phase changes go to
 * {@link io.beehive.scheduler.core.SchedulerEventListener}s (registered on {@code BeehiveScheduler}); the leader
 * publishes its {@link io.beehive.state.record.TermStatus} (who, epoch, framework id, fail-over duration, last
 * reconciliation) at {@code <root>/term-status} for every replica to read.
 *
 * <p>The invariants of DESIGN.md and where they are kept:
 * <ol>
 * <li>fenced writes: every write goes through the term's group-commit writer with the term's fence; a failed fence
 *     halts the term (no further Mesos calls) and asks the election to step down;</li>
 * <li>FrameworkID first: persisted before reconciliation (and therefore before any launch); no new id over existing
 *     task records ({@link io.beehive.scheduler.core.FatalError#EXIT_NO_FRAMEWORK_ID_WITH_TASKS});</li>
 * <li>write before launch: one batch of STAGING records per offer cycle, LAUNCH only once it is durable;</li>
 * <li>acknowledge after persist: ACKNOWLEDGE only from the write's completion;</li>
 * <li>reconcile before acting: launching is allowed only in ACTIVE, reached after reconciliation;</li>
 * <li>step down fast: SUSPENDED is set on the election thread and checked before every launch and acknowledgement.</li>
 * </ol>
 *
 * <p>Also kept across fail-overs: a failed task's record carries its slot's restart backoff and crash-loop window
 * (written with the failure), and a task being killed holds its slot until it is terminal, so the replacement of
 * the only copy of a service never runs next to it.
 */
package io.beehive.scheduler.core;
