package io.beehive.scheduler.core.term;

import io.beehive.state.record.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Kills tasks the durable way: the kill intent (desired state KILLED) is persisted first, so a new leader knows the
 * task is not wanted and keeps killing it; only then are the KILLs sent ({@link KillSender} re-sends them).
 */
final class TaskKiller {
    private static final Logger LOG = LoggerFactory.getLogger(TaskKiller.class);

    private final TermContext ctx;
    private final KillSender kills;

    TaskKiller(TermContext ctx, KillSender kills) {
        this.ctx = ctx;
        this.kills = kills;
    }

    /** Completes once the intents are durable and the KILLs sent; fails if the intents could not be written. */
    CompletableFuture<Void> kill(Collection<TaskRecord> tasks, String why) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long now = System.currentTimeMillis();
        List<TaskRecord> marked = new ArrayList<>();
        for (TaskRecord t : tasks) {
            TaskRecord m = t.withKillIntent(now);
            ctx.book.putTask(m);
            marked.add(m);
        }
        if (marked.isEmpty()) {
            done.complete(null);
            return done;
        }
        LOG.info("Term {}: killing {} tasks ({})", ctx.number, marked.size(), why);
        ctx.writer.submit(b -> b.putTasks(marked), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                marked.forEach(t -> kills.send(t.taskId(), t.agentId()));
                done.complete(null);
            }

            @Override
            public void failed(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }
}
