package io.beehive.scheduler.core.term;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement window on a direct executor (the test is the event loop): what is sent, in which order, and
 * when. Each send is a future the test completes, standing for the master's answer.
 */
class AckWindowTest {

    private final List<TaskStatus> sent = new ArrayList<>();
    private final List<CompletableFuture<Void>> answers = new ArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicInteger counted = new AtomicInteger();

    private AckWindow window(int max) {
        return new AckWindow(max, status -> {
            sent.add(status);
            CompletableFuture<Void> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, open::get, Runnable::run, counted::incrementAndGet);
    }

    private static TaskStatus update(String task, TaskState state, int uuid) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task)).setState(state)
                .setAgentId(AgentID.newBuilder().setValue("agent-1"))
                .setUuid(ByteString.copyFrom(new byte[] {(byte) uuid, 1, 2, 3})).build();
    }

    @Test
    void sendsAtMostMaxAtATime_inTheOrderAsked_andTheNextAsAnswersComeBack() {
        AckWindow window = window(2);
        TaskStatus a = update("a", TaskState.TASK_STARTING, 1);
        TaskStatus b = update("b", TaskState.TASK_STARTING, 2);
        TaskStatus c = update("c", TaskState.TASK_STARTING, 3);
        window.acknowledge(a);
        window.acknowledge(b);
        window.acknowledge(c);
        assertThat(sent).containsExactly(a, b);
        assertThat(window.queued()).isEqualTo(1);

        answers.get(1).complete(null);
        assertThat(sent).containsExactly(a, b, c);
        assertThat(window.inFlight()).isEqualTo(2);
    }

    @Test
    void oneTasksUpdatesAreAcknowledgedInTheirOrder_evenBehindAFullWindow() {
        AckWindow window = window(1);
        window.acknowledge(update("x", TaskState.TASK_STARTING, 9));
        TaskStatus starting = update("t", TaskState.TASK_STARTING, 1);
        TaskStatus running = update("t", TaskState.TASK_RUNNING, 2);
        window.acknowledge(starting);
        window.acknowledge(running);
        answers.get(0).complete(null);
        answers.get(1).complete(null);
        assertThat(sent.subList(1, 3)).containsExactly(starting, running);
    }

    @Test
    void aResentCopyOfAnUpdateWhoseAcknowledgementIsPendingIsNotAcknowledgedTwice() {
        AckWindow window = window(1);
        TaskStatus first = update("a", TaskState.TASK_STARTING, 1);
        TaskStatus queuedOne = update("b", TaskState.TASK_STARTING, 2);
        window.acknowledge(first);
        window.acknowledge(queuedOne);
        // The agents' retry timer fired: both updates come back, one in flight, one still queued.
        window.acknowledge(update("a", TaskState.TASK_STARTING, 1));
        window.acknowledge(update("b", TaskState.TASK_STARTING, 2));
        answers.get(0).complete(null);
        answers.get(1).complete(null);

        assertThat(sent).containsExactly(first, queuedOne);
        assertThat(window.merged()).isEqualTo(2);
        // Each copy counts as acknowledged: the benchmark and the metrics see every update covered.
        assertThat(counted.get()).isEqualTo(4);
    }

    @Test
    void aCopyArrivingAfterTheAcknowledgementWasAnsweredIsAcknowledgedAgain() {
        AckWindow window = window(4);
        TaskStatus update = update("a", TaskState.TASK_RUNNING, 1);
        window.acknowledge(update);
        answers.get(0).completeExceptionally(new RuntimeException("connection reset"));
        // The acknowledgement was lost, so the agent re-sends: this copy must be acknowledged.
        window.acknowledge(update("a", TaskState.TASK_RUNNING, 1));
        assertThat(sent).hasSize(2);
    }

    @Test
    void aClosedGateDropsWhatIsQueued_andTheRedeliveredUpdatesAreAcknowledgedLater() {
        AckWindow window = window(1);
        window.acknowledge(update("a", TaskState.TASK_STARTING, 1));
        window.acknowledge(update("b", TaskState.TASK_STARTING, 2));
        window.acknowledge(update("c", TaskState.TASK_STARTING, 3));
        open.set(false);
        answers.get(0).complete(null);
        assertThat(sent).hasSize(1);
        assertThat(window.queued()).isZero();

        open.set(true);
        TaskStatus redelivered = update("b", TaskState.TASK_STARTING, 2);
        window.acknowledge(redelivered);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(redelivered);
    }
}
