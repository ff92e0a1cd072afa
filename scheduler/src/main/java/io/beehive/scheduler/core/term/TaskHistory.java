package io.beehive.scheduler.core.term;

import io.beehive.state.record.JobRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps each job's terminal task records within their bounds ({@link HistoryPruner}). Jobs are marked when one of
 * their tasks ends and pruned together on the next housekeeping tick: once per job, not once per task, because a
 * burst of failures must not become a burst of scans.
 */
final class TaskHistory {
    private static final Logger LOG = LoggerFactory.getLogger(TaskHistory.class);

    private final TermContext ctx;
    private final Set<String> toPrune = new HashSet<>();

    TaskHistory(TermContext ctx) {
        this.ctx = ctx;
    }

    /** A task of this job ended (or the bounds may have changed): look at its history on the next tick. */
    void mark(String jobId) {
        toPrune.add(jobId);
    }

    /** Records also age out of the history: every job is looked at again now and then. */
    void markAll() {
        ctx.book.jobs().forEach(j -> toPrune.add(j.id()));
    }

    /** Deletes the terminal records beyond the bounds, in the term's ordered write stream. */
    void prune(long nowMillis) {
        if (toPrune.isEmpty()) {
            return;
        }
        List<String> prune = new ArrayList<>();
        for (String jobId : toPrune) {
            JobRecord job = ctx.book.job(jobId);
            if (job != null) {
                prune.addAll(HistoryPruner.prunable(job, ctx.book.tasksOf(jobId),
                        ctx.config.historyMaxPerJob(), ctx.config.historyMaxAge().toMillis(), nowMillis));
            }
        }
        toPrune.clear();
        if (prune.isEmpty()) {
            return;
        }
        prune.forEach(ctx.book::removeTask);
        ctx.writer.submit(b -> prune.forEach(b::deleteTask), new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                LOG.debug("Term {}: pruned {} terminal task records", ctx.number, prune.size());
            }

            @Override
            public void failed(Throwable error) {
                LOG.warn("Term {}: pruning {} terminal task records failed ({}); the next leader prunes them",
                        ctx.number, prune.size(), error.toString());
            }
        });
    }
}
