package io.beehive.scheduler.core.term;

import io.beehive.state.WriteBatch;
import io.beehive.state.record.JobRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Job records are rewritten whole by several parts (operator commands, the deployment driver), and the book takes a
 * write only once it is durable. A part that built its next record from the book while another write of the same job
 * was still in flight would undo that write. So every job write goes through here, and the next record is built from
 * {@link #latest}: the last one submitted if any is in flight, else the book's. The writer keeps submission order,
 * so the writes land in the order they were built.
 */
final class JobWrites {
    private final TaskBook book;
    private final GroupCommitWriter writer;
    private final Map<String, JobRecord> submitted = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();

    JobWrites(TaskBook book, GroupCommitWriter writer) {
        this.book = book;
        this.writer = writer;
    }

    /** The job as it will be once every write submitted so far lands; null if it does not exist. */
    JobRecord latest(String jobId) {
        JobRecord pending = submitted.get(jobId);
        return pending != null ? pending : book.job(jobId);
    }

    /** Writes {@code job} (with {@code alsoWrite}'s changes in the same transaction); the book takes it once durable. */
    void write(JobRecord job, Consumer<WriteBatch> alsoWrite, GroupCommitWriter.Outcome outcome) {
        String id = job.id();
        submitted.put(id, job);
        inFlight.merge(id, 1, Integer::sum);
        writer.submit(b -> {
            b.putJob(job);
            alsoWrite.accept(b);
        }, new GroupCommitWriter.Outcome() {
            @Override
            public void durable() {
                answered(id);
                book.putJob(job);
                outcome.durable();
            }

            @Override
            public void failed(Throwable error) {
                answered(id);
                outcome.failed(error);
            }
        });
    }

    void write(JobRecord job, GroupCommitWriter.Outcome outcome) {
        write(job, b -> { }, outcome);
    }

    private void answered(String id) {
        if (inFlight.merge(id, -1, Integer::sum) == 0) {
            inFlight.remove(id);
            submitted.remove(id);
        }
    }
}
