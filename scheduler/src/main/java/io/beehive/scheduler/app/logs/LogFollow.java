package io.beehive.scheduler.app.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code ?follow=true} stream: server-sent events sent as the agent's file grows, from a thread of
 * {@link TaskLogs} (not the request's).
 * {@code log} {@code {"offset","data"}} for new bytes (polled every {@code pollInterval}), then {@code eof}
 * {@code {"offset"}} once the task is terminal and everything is sent; {@code error} {@code {"status","message"}}
 * if the sandbox disappears (410) or the agent stays unreachable (502); a comment after {@code keepAlive} of
 * silence, which is also how a client that went away is noticed (the write fails and the loop ends).
 */
public final class LogFollow {
    /** Where the events go: each call is one piece of the stream, sent at once. */
    @FunctionalInterface
    public interface Sink {
        void send(String text) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogFollow.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What one poll asks for: the agent never returns more than 64 KiB (16 pages) at once. */
    private static final int CHUNK = 64 * 1024;
    /** Consecutive failed polls after which an unreachable agent ends the stream. */
    private static final int MAX_FAILURES = 5;

    private final AgentFiles files;
    private final Sandbox sandbox;
    private final String taskId;
    private final String file;
    private final BooleanSupplier taskFinished;
    private final Duration pollInterval;
    private final Duration keepAlive;
    private final CountDownLatch stopping;
    private final Runnable onEnd;
    private long offset;
    private long nextId = 1;
    private long lastWriteNanos;

    LogFollow(AgentFiles files, Sandbox sandbox, String taskId, String file, long offset, BooleanSupplier taskFinished,
              Duration pollInterval, Duration keepAlive, CountDownLatch stopping, Runnable onEnd) {
        this.files = files;
        this.sandbox = sandbox;
        this.taskId = taskId;
        this.file = file;
        this.offset = offset;
        this.taskFinished = taskFinished;
        this.pollInterval = pollInterval;
        this.keepAlive = keepAlive;
        this.stopping = stopping;
        this.onEnd = onEnd;
    }

    /** Streams until the end of the task's log, the client's departure or the replica's stop. */
    public void run(Sink out) {
        try {
            comment(out, "log " + file + " of task " + taskId + " from byte " + offset);
            int failures = 0;
            while (stopping.getCount() > 0) {
                // read after looking at the state: a terminal task whose read comes back empty has nothing more
                boolean finished = taskFinished.getAsBoolean();
                byte[] data;
                try {
                    data = files.read(sandbox, file, offset, CHUNK).data();
                    failures = 0;
                } catch (LogUnavailableException e) {
                    if (e.status() == LogUnavailableException.GONE || ++failures >= MAX_FAILURES) {
                        event(out, "error", Map.of("status", e.status(), "message", e.getMessage()));
                        return;
                    }
                    pause(out);
                    continue;
                }
                if (data.length == 0 && finished) {
                    event(out, "eof", Map.of("offset", offset));
                    return;
                }
                int complete = Utf8Prefix.complete(data, finished && data.length < CHUNK);
                if (complete > 0) {
                    Map<String, Object> chunk = new LinkedHashMap<>();
                    chunk.put("offset", offset);
                    chunk.put("data", Utf8Prefix.text(data, complete));
                    event(out, "log", chunk);
                    offset += complete;
                }
                if (data.length < CHUNK) {
                    pause(out);
                }
            }
        } catch (IOException e) {
            LOG.debug("log follower of {} {} gone: {}", taskId, file, e.toString());
        } finally {
            onEnd.run();
        }
    }

    /** Never run (the replica is stopping): gives its slot back. */
    void abandon() {
        onEnd.run();
    }

    private void pause(Sink out) throws IOException {
        try {
            stopping.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (System.nanoTime() - lastWriteNanos >= keepAlive.toNanos()) {
            comment(out, "keep-alive");
        }
    }

    private void event(Sink out, String name, Map<String, ?> data) throws IOException {
        write(out, "id: " + nextId++ + "\nevent: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n");
    }

    private void comment(Sink out, String text) throws IOException {
        write(out, ": " + text + "\n\n");
    }

    private void write(Sink out, String text) throws IOException {
        out.send(text);
        lastWriteNanos = System.nanoTime();
    }
}
