package io.beehive.scheduler.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Overdue acknowledgements on a clock the test moves; sweeps run on the tracker's timer thread, as in production. */
class AcknowledgementTrackerTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final MetricRegistry metrics = new MetricRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AcknowledgementTracker.class);
    private final AtomicLong clock = new AtomicLong();
    private ScheduledExecutorService timer;
    private AcknowledgementTracker tracker;

    @BeforeEach
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor();
        log.start();
        logger.addAppender(log);
        tracker = new AcknowledgementTracker(LIMIT, timer, metrics, clock::get);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
        timer.shutdownNow();
    }

    private static TaskStatus update(int i) {
        ByteBuffer uuid = ByteBuffer.allocate(16).putLong(i).putLong(i);
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("task-" + i))
                .setState(TaskState.TASK_RUNNING).setUuid(ByteString.copyFrom(uuid.array())).build();
    }

    private void advanceAndSweep(Duration by) throws Exception {
        clock.addAndGet(by.toNanos());
        timer.submit(tracker::sweep).get();
    }

    private long warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    @Test
    void aBacklogOfOverdueUpdatesIsCountedOneByOneButLoggedOnce() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            tracker.delivered(update(i));
        }
        tracker.acknowledged(update(7).getUuid());
        advanceAndSweep(LIMIT.minusMillis(1));
        assertThat(tracker.overdueCount()).isZero();

        advanceAndSweep(Duration.ofMillis(1));
        assertThat(tracker.overdueCount()).isEqualTo(999);
        assertThat(metrics.counter(AcknowledgementTracker.OVERDUE_COUNTER).getCount()).isEqualTo(999);
        assertThat(tracker.pendingCount()).isEqualTo(999);
        assertThat(warnings()).isEqualTo(1);
        assertThat(log.list.get(0).getFormattedMessage()).startsWith("999 status update(s) not acknowledged");
    }

    @Test
    void anOverdueUpdateIsCountedOnce_evenWhenTheAgentResendsIt() throws Exception {
        tracker.delivered(update(1));
        advanceAndSweep(LIMIT);
        assertThat(tracker.overdueCount()).isEqualTo(1);

        tracker.delivered(update(1)); // the agent's retry
        tracker.delivered(update(2));
        advanceAndSweep(LIMIT);
        advanceAndSweep(LIMIT);
        assertThat(tracker.overdueCount()).isEqualTo(2);
        assertThat(warnings()).isEqualTo(2);
        assertThat(log.list.get(1).getFormattedMessage()).contains("task-2");
    }

    @Test
    void anUpdateAcknowledgedInTimeIsNeverReported() throws Exception {
        tracker.delivered(update(1));
        advanceAndSweep(LIMIT.minusSeconds(1));
        tracker.acknowledged(update(1).getUuid());
        advanceAndSweep(LIMIT);
        assertThat(tracker.overdueCount()).isZero();
        assertThat(tracker.pendingCount()).isZero();
        assertThat(warnings()).isZero();
    }
}
