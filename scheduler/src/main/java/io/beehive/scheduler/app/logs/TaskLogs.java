package io.beehive.scheduler.app.logs;

import io.beehive.scheduler.app.config.LogsConfig;
import io.beehive.state.record.TaskRecord;
import io.dropwizard.lifecycle.Managed;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Task logs read from the agents, for any replica: the leader and the followers alike ask the master where the
 * agent is and the agent for the bytes ({@link SandboxLocator}, {@link AgentFiles}), so reading a log never goes
 * through the leader. Windows are read on the request's thread with short timeouts; a follow has a thread of its own
 * until the task is over, the client goes away or the replica stops.
 */
public final class TaskLogs implements Managed {
    public static final Set<String> FILES = Set.of("stdout", "stderr");

    private final LogsConfig config;
    private final SandboxLocator locator;
    private final AgentFiles files;
    private final AtomicInteger followers = new AtomicInteger();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Duration keepAlive;
    /** One thread per open follow, at most api.logs.maxFollowers of them (counted by {@link #followers}). */
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "beehive-log-follow");
        t.setDaemon(true);
        return t;
    });

    public TaskLogs(LogsConfig config, Optional<String> authorization, Supplier<Optional<URI>> leadingMaster) {
        this.config = config;
        AgentHttp http = new AgentHttp(config.agentTimeout(), authorization);
        this.locator = new SandboxLocator(new AgentDirectory(http, leadingMaster, config.agentAddressCacheTime()),
                http);
        this.files = new AgentFiles(http);
        this.keepAlive = config.followKeepAlive();
    }

    public LogsConfig config() {
        return config;
    }

    /**
     * {@code length} bytes from {@code offset}, or the last {@code length} bytes when {@code offset} is empty.
     *
     * @throws LogUnavailableException 409, 410 or 502
     */
    public LogWindow window(TaskRecord task, Optional<String> frameworkId, String file, OptionalLong offset,
                            long length) {
        Sandbox sandbox = locator.locate(task, frameworkId);
        long size = files.size(sandbox, file);
        long start = offset.isPresent() ? offset.getAsLong() : Math.max(0, size - length);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        long at = start;
        while (read.size() < length) {
            byte[] chunk = files.read(sandbox, file, at, length - read.size()).data();
            if (chunk.length == 0) {
                break;
            }
            read.writeBytes(chunk);
            at += chunk.length;
        }
        byte[] data = read.toByteArray();
        size = Math.max(size, start + data.length);
        boolean finalBytes = task.state().isTerminal() && start + data.length >= size;
        int complete = Utf8Prefix.complete(data, finalBytes);
        return new LogWindow(task.taskId(), file, start, complete, size, Utf8Prefix.text(data, complete));
    }

    /**
     * Checks that the log can be read and where a follow starts; the stream itself is {@link LogFollow#run}.
     * Without {@code offset} it starts {@code tail} bytes before the end.
     *
     * @throws LogUnavailableException 409, 410 or 502, before anything is streamed
     */
    public LogFollow follow(TaskRecord task, Optional<String> frameworkId, String file, OptionalLong offset,
                            long tail, BooleanSupplier taskFinished) {
        Sandbox sandbox = locator.locate(task, frameworkId);
        long start = offset.isPresent() ? offset.getAsLong() : Math.max(0, files.size(sandbox, file) - tail);
        return new LogFollow(files, sandbox, task.taskId(), file, start, taskFinished, config.followPollInterval(),
                keepAlive, stopping, followers::decrementAndGet);
    }

    /**
     * Runs the follow on its own thread; {@code onEnd} closes the client's stream. Call after
     * {@link #tryAcquireFollower()}: the slot is released when the follow ends.
     */
    public void stream(LogFollow follow, LogFollow.Sink sink, Runnable onEnd) {
        try {
            streams.execute(() -> {
                try {
                    follow.run(sink);
                } finally {
                    onEnd.run();
                }
            });
        } catch (RejectedExecutionException e) {
            follow.abandon();
            onEnd.run();
        }
    }

    /** One more follow, unless {@code api.logs.maxFollowers} are open; release with the stream's end. */
    public boolean tryAcquireFollower() {
        if (followers.incrementAndGet() > config.maxFollowers()) {
            followers.decrementAndGet();
            return false;
        }
        return true;
    }

    public void releaseFollower() {
        followers.decrementAndGet();
    }

    public int openFollowers() {
        return followers.get();
    }

    @Override
    public void start() {
    }

    /** Ends every follow within one poll interval (Jetty's graceful stop would otherwise wait for them). */
    @Override
    public void stop() {
        stopping.countDown();
        streams.shutdown();
    }
}
