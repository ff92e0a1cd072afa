package io.beehive.scheduler.core.term;

import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last step of deleting a job: once none of its tasks can still be running, its job and task records are
 * removed in one write. Until then the job stays (goal DELETED) so a new leader keeps killing its tasks.
 */
final class DeletedJobRemover {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedJobRemover.class);

    private final TermContext ctx;
    private final Set<String> inFlight = new HashSet<>();

    DeletedJobRemover(TermContext ctx) {
        this.ctx = ctx;
    }

    /** Removes the (DELETED) job if all its tasks are gone; otherwise does nothing and is asked again later. */
    void removeIfDone(JobRecord job) {
        if (inFlight.contains(job.id())) {
            return;
        }
        for (TaskRecord t : ctx.book.tasksOf(job.id())) {
            if (!TaskStates.isGone(t.state())) {
                return;
            }
        }
        inFlight.add(job.id());
        List<String> taskIds = ctx.book.tasksOf(job.id()).stream().map(TaskRecord::taskId).toList();
        ctx.writer.submit(b -> {
            taskIds.forEach(b::deleteTask);
            b.deleteJob(job.id());
        }, new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                inFlight.remove(job.id());
                ctx.book.removeJob(job.id());
                LOG.info("Term {}: job {} deleted ({} task records removed)", ctx.number, job.id(), taskIds.size());
            }

            @Override
            public void failed(Throwable error) {
                inFlight.remove(job.id());
                LOG.warn("Term {}: removing deleted job {} failed ({}); will retry", ctx.number, job.id(),
                        error.toString());
            }
        });
    }
}
