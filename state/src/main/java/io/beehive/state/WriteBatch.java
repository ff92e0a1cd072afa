package io.beehive.state;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.FailoverHistory;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TermStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Changes to write together, e.g. every task record of one offer cycle before its ACCEPT (invariant 3). Records
 * are encoded as they are added. Obtain one from {@link StateStore#batch()}, fill it, pass it to
 * {@link StateStore#write}. Not thread-safe; not reusable after it was written.
 *
 * <p>Within a batch the last change to a path wins (put then delete of the same task = delete).
 */
public final class WriteBatch {
    /**
     * Task records are small by design (a status message is truncated to {@link
     * io.beehive.state.record.LastStatus#MAX_MESSAGE_CHARS}); the cap lets a load read them many per request
     * without any answer passing jute.maxbuffer.
     */
    public static final int MAX_TASK_RECORD_BYTES = 16 * 1024;

    private final StateLayout layout;
    private final RecordCodec codec;
    private final List<Mutation> mutations = new ArrayList<>();

    WriteBatch(StateLayout layout, RecordCodec codec) {
        this.layout = layout;
        this.codec = codec;
    }

    /**
     * @throws RecordTooLargeException if the encoded record passes {@link #MAX_TASK_RECORD_BYTES}; nothing is
     *                                 added and, the batch not being written yet, nothing is written
     */
    public WriteBatch putTask(TaskRecord task) {
        String path = layout.task(task.taskId());
        byte[] data = codec.encode(task);
        if (data.length > MAX_TASK_RECORD_BYTES) {
            throw new RecordTooLargeException(path, data.length, MAX_TASK_RECORD_BYTES);
        }
        return add(new Mutation.Put(path, data));
    }

    public WriteBatch putTasks(Collection<TaskRecord> tasks) {
        tasks.forEach(this::putTask);
        return this;
    }

    /** Deleting a task that is not stored is not an error. */
    public WriteBatch deleteTask(String taskId) {
        return add(new Mutation.Delete(layout.task(validId(taskId, "task id"))));
    }

    public WriteBatch putJob(JobRecord job) {
        return add(new Mutation.Put(layout.job(job.id()), codec.encode(job)));
    }

    /** Removes the job definition (after its tasks are gone); deleting an absent job is not an error. */
    public WriteBatch deleteJob(String jobId) {
        return add(new Mutation.Delete(layout.job(validId(jobId, "job id"))));
    }

    public WriteBatch putFrameworkId(String frameworkId) {
        if (frameworkId == null || frameworkId.isBlank()) {
            throw new IllegalArgumentException("framework id must not be empty");
        }
        return add(new Mutation.Put(layout.frameworkId(), frameworkId.getBytes(StandardCharsets.UTF_8)));
    }

    /** Only for an explicit operator teardown of the framework (invariant 2). */
    public WriteBatch deleteFrameworkId() {
        return add(new Mutation.Delete(layout.frameworkId()));
    }

    public WriteBatch putTermStatus(TermStatus status) {
        return add(new Mutation.Put(layout.termStatus(), codec.encode(status)));
    }

    public WriteBatch putFailoverHistory(FailoverHistory history) {
        return add(new Mutation.Put(layout.failoverHistory(), codec.encode(history)));
    }

    public WriteBatch putBlacklist(BlacklistEntry entry) {
        return add(new Mutation.Put(layout.blacklisted(entry.agentId()), codec.encode(entry)));
    }

    public WriteBatch removeBlacklist(String agentId) {
        return add(new Mutation.Delete(layout.blacklisted(validId(agentId, "agent id"))));
    }

    public int size() {
        return mutations.size();
    }

    public boolean isEmpty() {
        return mutations.isEmpty();
    }

    List<Mutation> mutations() {
        return List.copyOf(mutations);
    }

    private WriteBatch add(Mutation mutation) {
        mutations.add(mutation);
        return this;
    }

    static String validId(String id, String what) {
        if (id == null || id.isEmpty() || id.indexOf('/') >= 0 || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(what + " is not a valid znode name: '" + id + "'");
        }
        return id;
    }
}
