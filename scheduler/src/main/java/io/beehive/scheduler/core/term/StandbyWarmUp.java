package io.beehive.scheduler.core.term;

import com.codahale.metrics.MetricRegistry;
import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.MesosConnection;
import io.beehive.scheduler.mesos.HttpWarmUp;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.mesos.StaticMasterDetector;
import io.beehive.scheduler.sdk.Scheduler;
import io.beehive.scheduler.sdk.SchedulerDriver;
import io.beehive.state.StateMirror;
import io.beehive.state.StateStore;
import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobGoal;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import io.beehive.state.record.TermStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs once, in the background, while a replica stands by: the code a new leader runs first, so that the JVM has
 * loaded and run it before the election instead of during the fail-over. It builds a driver without starting it,
 * encodes a SUBSCRIBE and decodes a SUBSCRIBED, sends one call-shaped POST to a listener of its own on the loopback
 * interface, and reads a few records the way a load does. It sends nothing to Mesos and writes nothing to ZooKeeper.
 *
 * <p>Why: a replica that had never led spent ~170 ms between being elected and starting its subscription (building
 * the driver, starting its HTTP clients), mostly loading classes, and its first SUBSCRIBE took ~250 ms to leave;
 * with the warm-up the first takes ~20 ms. Against a 4 s session timeout that was most of the margin of a crash
 * fail-over.
 */
public final class StandbyWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyWarmUp.class);
    private static final Scheduler NOBODY = new Scheduler() {
    };
    /** A replica that starts beside 100,000 records reads them in 8-18 s on a busy machine. */
    private static final java.time.Duration MIRROR_WAIT = java.time.Duration.ofMinutes(2);
    private static final int SYNTHETIC_TASKS = 20_000;

    private StandbyWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void inBackground(CoreConfig config, MesosConnection mesos, StateStore store) {
        Thread t = new Thread(() -> run(config, mesos, store), "beehive-standby-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * A new leader builds its {@link TaskBook} from the mirror's copy; with 100,000 task records that took 1.2 s in a
     * JVM that had never run the code (interpreted, then compiled while the fail-over waited). Built once here, from
     * the same copy, and dropped.
     */
    private static int buildThrowawayBook(StateStore store) {
        StateMirror mirror = store.mirror().orElse(null);
        if (mirror == null || !mirror.awaitLoaded(MIRROR_WAIT)) {
            return 0;
        }
        TaskBook book = new TaskBook(mirror.jobs(), mirror.tasks(), mirror.blacklist());
        int size = book.tasks().size();
        if (size < SYNTHETIC_TASKS) {
            // A replica started before the records were written: enough of them for the JIT to compile the book's
            // code, made up here and never written.
            List<TaskRecord> synthetic = new ArrayList<>(SYNTHETIC_TASKS);
            for (int i = 0; i < SYNTHETIC_TASKS; i++) {
                synthetic.add(new TaskRecord("warm-up." + i, "warm-up-" + (i % 100), i, "warm-up-agent", "localhost",
                        TaskState.TASK_RUNNING, null, 0, 0, DesiredState.RUNNING, 0, 1, null));
            }
            new TaskBook(List.of(), synthetic, List.of()).liveTasks();
        }
        book.liveTasks();
        new RestartTracker().restore(book);
        // A term's first write encodes its status, then task records, and often a job submitted during the
        // fail-over: the serializers are built here, not then.
        store.batch().putTermStatus(TermStatus.elected("warm-up", 0, 0))
                .putJob(new JobRecord("warm-up", JobKind.BATCH, CommandSpec.shell("true"), Map.of(),
                        new ResourceSpec(0.1, 16, 0, 0), 1, List.of(), null, 0, JobGoal.RUNNING, 1, 0, 0))
                .putTask(new TaskRecord("warm-up.0", "warm-up", 0, "warm-up-agent", "localhost",
                        TaskState.TASK_STAGING, null, 0, 0, DesiredState.RUNNING, 0, 1, List.of(1)));
        // The parts a term wires once its book is built, and those it builds when elected: loaded and verified now,
        // not while nobody leads (~0.4 s for the first; ~0.1 s between election and load on a loaded machine).
        for (Class<?> part : List.of(GroupCommitWriter.class, AckWindow.class, TermContext.class, TaskHistory.class,
                DeletedJobRemover.class, TaskKiller.class, StuckLaunchProbe.class, DeploymentDriver.class,
                StatusUpdateHandler.class, LaunchCycle.class, JobCommands.class, Housekeeping.class,
                TermStatusPublisher.class, HistoryPruner.class, DeploymentPlan.class, DemandPlanner.class,
                LeaderTerm.class, TermLoop.class, TermGate.class, RestartTracker.class, ReconciliationDriver.class,
                Reconciliation.class, OfferFlow.class, KillSender.class)) {
            try {
                Class.forName(part.getName(), true, part.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return size;
    }

    private static void run(CoreConfig config, MesosConnection mesos, StateStore store) {
        long started = System.nanoTime();
        try {
            MesosClientConfig client = SubscriptionSettings.clientConfig(config, mesos, "warm-up");
            // Built, never started: no thread, no connection (the detector is a fixed address nobody is asked).
            new SchedulerDriver(NOBODY, client, new MetricRegistry(), SchedulerDriver.DEFAULT_ACK_LIMIT,
                    new StaticMasterDetector(List.of(URI.create("http://127.0.0.1:9"))));
            Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                    .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(client.frameworkInfo())).build();
            byte[] encoded = mesos.encoding().encodeCall(subscribe);
            Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                    .setSubscribed(Event.Subscribed.newBuilder()
                            .setFrameworkId(client.frameworkInfo().getId()).setHeartbeatIntervalSeconds(15))
                    .build();
            mesos.encoding().decodeEvent(mesos.encoding().encode(subscribed));
            int answered = HttpWarmUp.exchange(encoded, mesos.encoding().contentType());
            int records = store.readSample();
            int booked = buildThrowawayBook(store);
            LOG.info("Standby warm-up done in {} ms (a {}-byte SUBSCRIBE sent to itself, answered {}; {} records read; "
                            + "a book of {} tasks built from the state mirror and dropped)",
                    (System.nanoTime() - started) / 1_000_000, encoded.length, answered, records, booked);
        } catch (Exception | LinkageError e) {
            LOG.debug("Standby warm-up failed (no harm: the first term loads these classes itself)", e);
        }
    }
}
