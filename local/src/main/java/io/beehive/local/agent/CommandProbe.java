package io.beehive.local.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;

/**
 * A COMMAND health check: the check's command ({@code sh -c}, or argv when {@code shell} is false) in the task's
 * sandbox with the task's environment plus the check's own variables; exit 0 passes. Like the real executor's
 * checks, its output goes to the sandbox {@code stderr}. A check that outlives its timeout is killed with its
 * children and counts as failed.
 */
final class CommandProbe implements TaskProbe {

    private final CommandInfo command;
    private final Path sandbox;
    private final Map<String, String> environment;

    CommandProbe(CommandInfo command, Path sandbox, Map<String, String> taskEnvironment) {
        this.command = command;
        this.sandbox = sandbox;
        this.environment = taskEnvironment;
    }

    @Override
    public String kind() {
        return "COMMAND";
    }

    @Override
    public Outcome run(Duration timeout) throws InterruptedException {
        Process process;
        try {
            File log = sandbox.resolve("stderr").toFile();
            ProcessBuilder builder = new ProcessBuilder(ProcessTaskRunner.argv(command)).directory(sandbox.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectError(ProcessBuilder.Redirect.appendTo(log));
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(environment);
            for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
                env.put(v.getName(), v.getValue());
            }
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            return Outcome.fail(null, "Failed to create subprocess: " + e.getMessage());
        }
        try {
            boolean exited = timeout == null ? waitForever(process) : process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                killTree(process);
                return Outcome.fail(null, "Command timed out after " + StoutDuration.format(timeout));
            }
        } catch (InterruptedException e) {
            killTree(process); // the checker stopped: leave no check process behind
            throw e;
        }
        int status = process.exitValue();
        return status == 0 ? Outcome.pass("0")
            : Outcome.fail(String.valueOf(status), "Command exited with status " + status);
    }

    private static boolean waitForever(Process process) throws InterruptedException {
        process.waitFor();
        return true;
    }

    private static void killTree(Process process) {
        ProcessHandle handle = process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }
}
