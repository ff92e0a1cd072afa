package io.beehive.state;

import io.beehive.state.record.BlacklistEntry;
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
        mutations.add(new Mutation.Put(path, data));
        return this;
    }

    public WriteBatch putTasks(Collection<TaskRecord> tasks) {
        tasks.forEach(this::putTask);
        return this;
    }

    /** Deleting a task that is not stored is not an error. */
    public WriteBatch deleteTask(String taskId) {
        mutations.add(new Mutation.Delete(layout.task(validId(taskId, "task id"))));
        return this;
    }

    public WriteBatch putJob(JobRecord job) {
        mutations.add(new Mutation.Put(layout.job(job.id()), codec.encode(job)));
        return this;
    }

    /** Removes the job definition (after its tasks are gone); deleting an absent job is not an error. */
    public WriteBatch deleteJob(String jobId) {
        mutations.add(new Mutation.Delete(layout.job(validId(jobId, "job id"))));
        return this;
    }

    public WriteBatch putFrameworkId(String frameworkId) {
        if (frameworkId == null || frameworkId.isBlank()) {
            throw new IllegalArgumentException("framework id must not be empty");
        }
        mutations.add(new Mutation.Put(layout.frameworkId(), frameworkId.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Only for an explicit operator teardown of the framework (invariant 2). */
    public WriteBatch deleteFrameworkId() {
        mutations.add(new Mutation.Delete(layout.frameworkId()));
        return this;
    }

    public WriteBatch putTermStatus(TermStatus status) {
        mutations.add(new Mutation.Put(layout.termStatus(), codec.encode(status)));
        return this;
    }

    public WriteBatch putBlacklist(BlacklistEntry entry) {
        mutations.add(new Mutation.Put(layout.blacklisted(entry.agentId()), codec.encode(entry)));
        return this;
    }

    public WriteBatch removeBlacklist(String agentId) {
        mutations.add(new Mutation.Delete(layout.blacklisted(validId(agentId, "agent id"))));
        return this;
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

    static String validId(String id, String what) {
        if (id == null || id.isEmpty() || id.indexOf('/') >= 0 || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(what + " is not a valid znode name: '" + id + "'");
        }
        return id;
    }
}
