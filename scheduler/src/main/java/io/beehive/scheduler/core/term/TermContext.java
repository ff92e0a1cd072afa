package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.CoreMetrics;
import io.beehive.scheduler.core.SchedulerEventListener;
import io.beehive.scheduler.sdk.SchedulerDriver;

import java.util.function.Supplier;

/**
 * What the parts of one term share once its state is loaded: the book, the ordered writer, the loop they all run
 * on, the gate, the driver and where durable task changes are announced. One per term, used on its loop only.
 */
final class TermContext {
    final long number;
    final CoreConfig config;
    final CoreMetrics metrics;
    final TermLoop loop;
    final TermGate gate;
    final TaskBook book;
    final GroupCommitWriter writer;
    final JobWrites jobs;
    final SchedulerEventListener events;
    private final Supplier<SchedulerDriver> driver;

    TermContext(long number, CoreConfig config, CoreMetrics metrics, TermLoop loop, TermGate gate, TaskBook book,
                GroupCommitWriter writer, SchedulerEventListener events, Supplier<SchedulerDriver> driver) {
        this.number = number;
        this.config = config;
        this.metrics = metrics;
        this.loop = loop;
        this.gate = gate;
        this.book = book;
        this.writer = writer;
        this.jobs = new JobWrites(book, writer);
        this.events = events;
        this.driver = driver;
    }

    /** The term's driver (it exists before any part can be asked to call Mesos). */
    SchedulerDriver driver() {
        return driver.get();
    }
}
