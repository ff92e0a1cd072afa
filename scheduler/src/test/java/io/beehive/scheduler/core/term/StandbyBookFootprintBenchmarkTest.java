package io.beehive.scheduler.core.term;

import io.beehive.state.record.CommandSpec;
import io.beehive.state.record.DesiredState;
import io.beehive.state.record.JobKind;
import io.beehive.state.record.JobRecord;
import io.beehive.state.record.ResourceSpec;
import io.beehive.state.record.TaskRecord;
import io.beehive.state.record.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a standby's book of the next term adds to its state mirror per record: the book shares the mirror's record
 * objects, so its cost is its maps and indexes ({@code StateMirrorBenchmark} measures the records themselves). Every
 * task RUNNING, the worst case for the live-task index.
 */
@Tag("benchmark")
class StandbyBookFootprintBenchmarkTest {
    private static final int JOBS = 10_000;
    private static final int TASKS_PER_JOB = 10;

    @Test
    void whatTheBookAddsPerTaskRecordAndPerJob() throws InterruptedException {
        long now = System.currentTimeMillis();
        List<JobRecord> jobs = new ArrayList<>(JOBS);
        List<TaskRecord> tasks = new ArrayList<>(JOBS * TASKS_PER_JOB);
        for (int j = 0; j < JOBS; j++) {
            String jobId = String.format("svc-%05d", j);
            jobs.add(new JobRecord(jobId, JobKind.SERVICE, CommandSpec.shell("sleep 600"), Map.of(),
                    new ResourceSpec(0.01, 2, 0, 0), TASKS_PER_JOB, List.of(), null, 0, null, 0, now, now));
            for (int k = 0; k < TASKS_PER_JOB; k++) {
                tasks.add(new TaskRecord(jobId + "." + k + ".0.bench" + j, jobId, k, "agent-" + (j % 50), "127.0.0.1",
                        TaskState.TASK_RUNNING, null, now, now, DesiredState.RUNNING, 0, 1, null));
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedHeapAfterGc(memory);
        TaskBook book = new TaskBook(jobs, tasks, List.of());
        long after = usedHeapAfterGc(memory);
        assertThat(book.tasks()).hasSize(tasks.size());
        assertThat(book.jobs()).hasSize(JOBS);
        long perRecord = (after - before) / (tasks.size() + JOBS);
        System.out.printf("BENCHMARK large-state standby book: %,d bytes in all for %,d jobs and %,d task records "
                + "(records shared with the mirror), about %,d bytes per record%n", after - before, JOBS, tasks.size(),
                perRecord);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50); // lets concurrent GC phases settle; a measurement aid, not synchronisation
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
