package io.beehive.state;

import io.beehive.state.record.BlacklistEntry;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.TaskRecord;

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
    private final StateLayout layout;
    private final RecordCodec codec;
    private final List<Mutation> mutations = new ArrayList<>();

    WriteBatch(StateLayout layout, RecordCodec codec) {
        this.layout = layout;
        this.codec = codec;
    }

    public WriteBatch putTask(TaskRecord task) {
        mutations.add(new Mutation.Put(layout.task(task.taskId()), codec.encode(task)));
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

    private static String validId(String id, String what) {
        if (id == null || id.isEmpty() || id.indexOf('/') >= 0 || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(what + " is not a valid znode name: '" + id + "'");
        }
        return id;
    }
}
