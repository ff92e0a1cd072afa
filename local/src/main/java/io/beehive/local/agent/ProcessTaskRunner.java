package io.beehive.local.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command executor for real: {@code sh -c <value>} (or argv when {@code shell} is false) in the task's
 * sandbox with {@code stdout}/{@code stderr} files, reporting STARTING, RUNNING and the terminal state from the
 * real exit status. A kill sends SIGTERM to the task's process group ({@link ProcessGroup}), then SIGKILL after
 * the grace period. Runs the
 * task's {@code health_check} ({@link HealthChecker}, which may ask for a kill) and {@code check}
 * ({@link TaskChecker}) from RUNNING until the task is killed or ends.
 */
final class ProcessTaskRunner implements TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTaskRunner.class);

    private enum Phase { NEW, RUNNING, KILLING, EXITED, DESTROYED }

    private final LocalAgent agent;
    private final AgentTask task;
    private final Path sandbox;
    private Process process;
    private Phase phase = Phase.NEW;
    /** The task's environment, which COMMAND checks get too. */
    private Map<String, String> environment = Map.of();
    private SandboxLog sandboxLog;
    private HealthChecker healthChecker;
    private TaskChecker checker;
    /** Killed by the executor after failed health checks: its TASK_KILLED says {@code healthy: false}. */
    private boolean killedUnhealthy;

    ProcessTaskRunner(LocalAgent agent, AgentTask task, Path sandbox) {
        this.agent = agent;
        this.task = task;
        this.sandbox = sandbox;
    }

    @Override
    public void start() {
        CommandInfo command = task.info.getCommand();
        try {
            Files.createDirectories(sandbox);
            Path stderr = sandbox.resolve("stderr");
            // appended to, not truncated by the child: health checks log into the same file (the real executor
            // shares one descriptor with the task), and appends from both sides never overwrite each other
            Files.write(stderr, new byte[0]);
            sandboxLog = new SandboxLog(stderr);
            ProcessBuilder builder = new ProcessBuilder(ProcessGroup.leading(argv(command))).directory(sandbox.toFile())
                .redirectOutput(sandbox.resolve("stdout").toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Map<String, String> env = builder.environment();
            for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
                env.put(v.getName(), v.getValue());
            }
            env.put("MESOS_SANDBOX", sandbox.toString());
            env.put("MESOS_DIRECTORY", sandbox.toString());
            env.put("MESOS_TASK_ID", task.id());
            env.put("MESOS_EXECUTOR_ID", task.id());
            env.put("MESOS_FRAMEWORK_ID", task.frameworkId);
            env.put("MESOS_AGENT_ID", agent.id());
            env.put("MESOS_SLAVE_ID", agent.id());
            env.put("MESOS_CONTAINER_NAME", "mesos-" + task.containerId);
            environment = Map.copyOf(env);
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("task {} could not start: {}", task.id(), e.toString());
            phase = Phase.EXITED;
            agent.update(task, TaskState.TASK_FAILED, "Failed to launch container: " + e.getMessage(),
                TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, null);
            return;
        }
        phase = Phase.RUNNING;
        long pid = process.pid();
        LOG.info("task {} of framework {} started as pid {} in {}", task.id(), task.frameworkId, pid, sandbox);
        agent.update(task, TaskState.TASK_STARTING, null, null, pid);
        agent.update(task, TaskState.TASK_RUNNING, null, null, pid);
        if (task.info.hasCheck()) {
            startChecks(pid);
        }
        if (task.info.hasHealthCheck()) {
            startHealthChecks(pid);
        }
        process.onExit().thenAccept(p -> agent.loop().post(() -> exited(p.exitValue(), pid)));
    }

    private void startHealthChecks(long pid) {
        TaskProbe probe;
        try {
            probe = TaskProbe.of(task.info.getHealthCheck(), sandbox, environment);
        } catch (IllegalArgumentException e) {
            // as the real executor: the task runs on, unchecked
            LOG.warn("task {}: failed to create health checker: {}", task.id(), e.getMessage());
            return;
        }
        healthChecker = new HealthChecker(agent.loop(), task.id(), task.info.getHealthCheck(), probe, sandboxLog,
            (healthy, killTask) -> healthChanged(healthy, killTask, pid));
        healthChecker.start();
    }

    private void startChecks(long pid) {
        TaskProbe probe;
        try {
            probe = TaskProbe.of(task.info.getCheck(), sandbox, environment);
        } catch (IllegalArgumentException e) {
            LOG.warn("task {}: failed to create checker: {}", task.id(), e.getMessage());
            return;
        }
        checker = new TaskChecker(agent.loop(), task.id(), task.info.getCheck(), probe, sandboxLog,
            status -> checkChanged(status, pid));
        checker.start();
    }

    /** A check result that differs from the last: an extra TASK_RUNNING carrying it. */
    private void checkChanged(CheckStatusInfo status, long pid) {
        if (phase == Phase.RUNNING) {
            agent.update(task, TaskState.TASK_RUNNING, null, TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED,
                pid, null, status);
        }
    }

    /** A result that changed the task's health: an extra TASK_RUNNING saying so, and maybe the end of the task. */
    private void healthChanged(boolean healthy, boolean killTask, long pid) {
        if (phase != Phase.RUNNING) {
            return;
        }
        agent.update(task, TaskState.TASK_RUNNING, null, TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
            pid, healthy);
        if (killTask) {
            LOG.info("task {} of framework {} failed its {} health check {} times in a row; killing it",
                task.id(), task.frameworkId, task.info.getHealthCheck().getType(),
                task.info.getHealthCheck().getConsecutiveFailures());
            killedUnhealthy = true;
            kill(task.killGracePeriod());
        }
    }

    /** The real executor pauses both checkers on a kill and when the task ends: nothing is reported after. */
    private void stopChecks() {
        if (healthChecker != null) {
            healthChecker.stop();
            healthChecker = null;
        }
        if (checker != null) {
            checker.stop();
            checker = null;
        }
    }

    /** The process's argv for a CommandInfo, as the command executor builds it (also used by COMMAND checks). */
    static List<String> argv(CommandInfo command) {
        if (!command.hasShell() || command.getShell()) {
            return List.of("sh", "-c", command.getValue());
        }
        List<String> argv = new ArrayList<>();
        argv.add(command.getValue());
        List<String> args = command.getArgumentsList();
        // arguments[0] is argv[0] by Mesos convention; the executable is `value`
        argv.addAll(args.isEmpty() ? List.of() : args.subList(1, args.size()));
        return argv;
    }

    private void exited(int exitValue, long pid) {
        if (phase == Phase.DESTROYED || phase == Phase.EXITED) {
            return;
        }
        stopChecks();
        boolean killed = phase == Phase.KILLING;
        phase = Phase.EXITED;
        if (killed) {
            // no reason (trace 06); healthy:false only when failed health checks caused the kill
            agent.update(task, TaskState.TASK_KILLED, "Command terminated with signal " + signalName(exitValue),
                null, pid, killedUnhealthy ? Boolean.FALSE : null);
        } else if (exitValue == 0) {
            agent.update(task, TaskState.TASK_FINISHED, "Command exited with status 0", null, pid);
        } else if (exitValue > 128) {
            agent.update(task, TaskState.TASK_FAILED, "Command terminated with signal " + signalName(exitValue),
                TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED, pid);
        } else {
            agent.update(task, TaskState.TASK_FAILED, "Command exited with status " + exitValue,
                TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED, pid);
        }
    }

    private static String signalName(int exitValue) {
        return switch (exitValue - 128) {
            case 9 -> "Killed";
            case 15 -> "Terminated";
            case 2 -> "Interrupt";
            default -> "Terminated";
        };
    }

    @Override
    public void kill(Duration gracePeriod) {
        if (phase != Phase.RUNNING) {
            return;
        }
        phase = Phase.KILLING;
        // no health or check update comes after TASK_KILLING
        stopChecks();
        if (task.killingStateCapable()) {
            agent.update(task, TaskState.TASK_KILLING, null, null, process.pid());
        }
        LOG.info("killing task {} (pid {}) with a grace period of {}", task.id(), process.pid(), gracePeriod);
        terminateTree(false);
        Process p = process;
        agent.loop().schedule(gracePeriod, () -> {
            if (p.isAlive()) {
                LOG.info("task {} outlived its grace period; sending SIGKILL", task.id());
                terminateTree(true);
            }
        });
    }

    private void terminateTree(boolean force) {
        ProcessGroup.signal(process.toHandle(), force);
    }

    @Override
    public void destroy() {
        stopChecks();
        if (phase == Phase.RUNNING || phase == Phase.KILLING) {
            terminateTree(true);
        }
        phase = Phase.DESTROYED;
    }
}
