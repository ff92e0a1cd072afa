package io.beehive.local.agent;

import io.beehive.local.master.EventLoop;
import java.time.Duration;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * Runs a task's (non-health) {@code check} the way the Mesos 1.11 command executor does (trace 10): the timing of
 * a {@link ProbeSchedule}; each result becomes a CheckStatusInfo (COMMAND {@code exit_code}, HTTP
 * {@code status_code}, TCP {@code succeeded}), or the empty one of the type when the check itself failed (timed
 * out, could not connect); the listener hears of it only when it differs from the previous one, which starts as
 * the empty one. A check never kills the task.
 */
final class TaskChecker {

    /** Called on the loop with a check status that differs from the last one. */
    interface Listener {
        void checkChanged(CheckStatusInfo status);
    }

    private final String taskId;
    private final CheckInfo.Type type;
    private final SandboxLog log;
    private final Listener listener;
    private final String name;
    private final ProbeSchedule schedule;
    private CheckStatusInfo previous;

    TaskChecker(EventLoop loop, String taskId, CheckInfo check, TaskProbe probe, SandboxLog log, Listener listener) {
        this.taskId = taskId;
        this.type = check.getType();
        this.log = log;
        this.listener = listener;
        this.name = probe.kind() + " check";
        this.previous = empty(type);
        Duration timeout = check.getTimeoutSeconds() > 0 ? ProbeSchedule.seconds(check.getTimeoutSeconds()) : null;
        this.schedule = new ProbeSchedule(loop, probe, ProbeSchedule.seconds(check.getDelaySeconds()),
            ProbeSchedule.seconds(check.getIntervalSeconds()), timeout, this::record);
    }

    /**
     * What every update of a task with a check carries when it is not a check result: the type and an empty
     * result, even after results were reported (trace 10: TASK_KILLING and TASK_KILLED after {@code exit_code 3}).
     */
    static CheckStatusInfo empty(CheckInfo.Type type) {
        CheckStatusInfo.Builder status = CheckStatusInfo.newBuilder().setType(type);
        switch (type) {
            case COMMAND -> status.setCommand(CheckStatusInfo.Command.getDefaultInstance());
            case HTTP -> status.setHttp(CheckStatusInfo.Http.getDefaultInstance());
            case TCP -> status.setTcp(CheckStatusInfo.Tcp.getDefaultInstance());
            default -> { }
        }
        return status.build();
    }

    void start() {
        schedule.start();
    }

    void stop() {
        if (!schedule.stopped()) {
            schedule.stop();
            log.line("Stopped " + name + " for task '" + taskId + "'");
        }
    }

    private void record(TaskProbe.Outcome outcome) {
        String ofTask = name + " for task '" + taskId + "'";
        CheckStatusInfo status;
        if (outcome.returned() != null) {
            log.line(ofTask + " returned: " + outcome.returned());
            status = result(outcome.returned());
        } else {
            log.line(ofTask + " failed: " + outcome.failure());
            status = empty(type);
        }
        if (!status.equals(previous)) {
            previous = status;
            listener.checkChanged(status);
        }
    }

    private CheckStatusInfo result(String returned) {
        CheckStatusInfo.Builder status = CheckStatusInfo.newBuilder().setType(type);
        switch (type) {
            case COMMAND -> status.setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(Integer.parseInt(returned)));
            case HTTP -> status.setHttp(CheckStatusInfo.Http.newBuilder().setStatusCode(Integer.parseInt(returned)));
            case TCP -> status.setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(returned.equals("1")));
            default -> { }
        }
        return status.build();
    }
}
