package io.beehive.local.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * One SUBSCRIBE connection held open: the response head, then every RecordIO record decoded on a reader thread
 * into an append-only history. Tests wait on the history with a cursor, so events that arrive before the test
 * asks for them are never lost.
 */
final class Subscription implements AutoCloseable {

    /** A received record: how it was framed and what it decoded to. */
    record Received(RecordIoReader.Record record, Event event) {}

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Socket socket;
    private final HttpWire.Head head;
    private final HttpMessage refusal;
    private final Wire wire;
    private final List<Received> history = new ArrayList<>();
    private int cursor;
    private boolean ended;
    private Throwable failure;

    private Subscription(Socket socket, HttpWire.Head head, HttpMessage refusal, Wire wire) {
        this.socket = socket;
        this.head = head;
        this.refusal = refusal;
        this.wire = wire;
    }

    /** POSTs a SUBSCRIBE call; {@code accept} null sends no Accept header. */
    static Subscription open(URI base, Wire requestWire, String accept, Call subscribe, Map<String, String> extra) {
        return openRaw(base, requestWire.contentType, accept, requestWire.encode(subscribe), extra);
    }

    static Subscription open(URI base, Wire wire, Call subscribe) {
        return open(base, wire, wire.contentType, subscribe, Map.of());
    }

    static Subscription openRaw(URI base, String contentType, String accept, byte[] body, Map<String, String> extra) {
        try {
            Socket socket = HttpWire.connect(base);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", contentType);
            if (accept != null) {
                headers.put("Accept", accept);
            }
            headers.putAll(extra);
            HttpWire.writeRequest(socket.getOutputStream(), base, "POST", "/api/v1/scheduler", headers, body, false);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpWire.Head head = HttpWire.readHead(in);
            if (head.status() != 200) {
                byte[] errorBody = HttpWire.readBody(in, head, "POST");
                socket.close();
                return new Subscription(socket, head, new HttpMessage(head.statusLine(), head.status(),
                        head.headers(), errorBody), null);
            }
            // A streaming response must not be sized up front.
            if (head.header("Content-Length") != null) {
                socket.close();
                throw new AssertionError("SUBSCRIBE stream carries Content-Length: " + head.headers());
            }
            Subscription sub = new Subscription(socket, head, null, Wire.ofContentType(head.header("Content-Type")));
            Thread reader = new Thread(() -> sub.readLoop(new ChunkedInputStream(in)), "subscription-reader");
            reader.setDaemon(true);
            reader.start();
            return sub;
        } catch (IOException e) {
            throw new AssertionError("SUBSCRIBE to " + base + " failed: " + e, e);
        }
    }

    private void readLoop(InputStream body) {
        RecordIoReader records = new RecordIoReader(body);
        try {
            RecordIoReader.Record record;
            while ((record = records.next()) != null) {
                Event event = wire.decode(record.payload());
                synchronized (this) {
                    history.add(new Received(record, event));
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            if (!socket.isClosed()) {
                synchronized (this) {
                    failure = e;
                }
            }
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    int status() {
        return head.status();
    }

    HttpWire.Head head() {
        return head;
    }

    /** The full response when the master did not answer 200. */
    HttpMessage refusal() {
        return refusal;
    }

    Wire wire() {
        return wire;
    }

    String streamId() {
        return head.header("Mesos-Stream-Id");
    }

    String frameworkId() {
        return awaitType(Event.Type.SUBSCRIBED).getSubscribed().getFrameworkId().getValue();
    }

    /** Waits for the next event (after the cursor) matching the predicate and moves the cursor past it. */
    synchronized Received awaitReceived(Predicate<Event> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scan = cursor;
        while (true) {
            for (; scan < history.size(); scan++) {
                if (match.test(history.get(scan).event())) {
                    cursor = scan + 1;
                    return history.get(scan);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout + (ended ? " (stream ended"
                        + (failure != null ? ": " + failure : "") + ")" : "") + "; received (heartbeats left out) "
                        + typesButHeartbeats());
            }
            waitForNews(left);
        }
    }

    /** Waits until an event matching the predicate has been received (anywhere in the history); the cursor stays. */
    synchronized void awaitSeen(Predicate<Event> match, Duration timeout, String what) {
        int cursorBefore = cursor;
        cursor = 0;
        try {
            awaitReceived(match, timeout, what);
        } finally {
            cursor = cursorBefore;
        }
    }

    /** Waits on this (the reader thread notifies on every event and at the end) for at most {@code nanos}. */
    private synchronized void waitForNews(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Event await(Predicate<Event> match, String what) {
        return awaitReceived(match, DEFAULT_WAIT, what).event();
    }

    Event awaitType(Event.Type type) {
        return await(e -> e.getType() == type, type.name());
    }

    /** Next UPDATE for the task (any state). */
    Event awaitUpdate(String taskId) {
        return await(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId), "UPDATE of " + taskId);
    }

    Event awaitUpdate(String taskId, org.apache.mesos.v1.Protos.TaskState state) {
        return await(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getState() == state, "UPDATE " + state + " of " + taskId);
    }

    /** The status in the next answer to a reconciliation (an UPDATE with REASON_RECONCILIATION), of any task. */
    org.apache.mesos.v1.Protos.TaskStatus awaitReconciliationAnswer() {
        return await(e -> e.getType() == Event.Type.UPDATE && e.getUpdate().getStatus().getReason()
                == org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_RECONCILIATION, "reconciliation answer")
                .getUpdate().getStatus();
    }

    /** Next FAILURE event about the agent (the agent's own, or one of its executors'). */
    Event awaitAgentFailure(String agentId) {
        return await(e -> e.getType() == Event.Type.FAILURE && e.getFailure().getAgentId().getValue().equals(agentId),
                "FAILURE of agent " + agentId);
    }

    /** Moves the cursor past everything received so far: the next wait sees only events that arrive later. */
    synchronized void skipToEnd() {
        cursor = history.size();
    }

    /**
     * Next master-generated UPDATE for the task: agents resend unacknowledged updates every 200 ms in the suite,
     * so a duplicate of an executor update can legitimately arrive before the one the test provoked.
     */
    Event awaitMasterUpdate(String taskId) {
        return await(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getSource() == org.apache.mesos.v1.Protos.TaskStatus.Source.SOURCE_MASTER,
                "master-generated UPDATE of " + taskId);
    }

    /** Resets the cursor to the start: the next wait scans the whole history again. */
    synchronized void rewind() {
        cursor = 0;
    }

    synchronized List<Received> history() {
        return List.copyOf(history);
    }

    synchronized List<Event> events() {
        return history.stream().map(Received::event).toList();
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized Throwable failure() {
        return failure;
    }

    /** Waits for the master to end the stream. */
    synchronized void awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("stream still open after " + timeout + "; received (heartbeats left out) "
                        + typesButHeartbeats());
            }
            waitForNews(left);
        }
    }

    synchronized List<String> types() {
        return history.stream().map(r -> r.event().getType().name()).toList();
    }

    /** The event types without the heartbeats, for readable failure messages. */
    synchronized List<String> typesButHeartbeats() {
        return history.stream().map(r -> r.event().getType().name()).filter(t -> !t.equals("HEARTBEAT")).toList();
    }

    /** Closes the connection from the client side, as a crashed scheduler would. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
