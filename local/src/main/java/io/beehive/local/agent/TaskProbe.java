package io.beehive.local.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.NetworkInfo;

/**
 * One way of looking at a running task (COMMAND, HTTP, TCP), shared by health checks and checks: run once per
 * call on a worker thread, blocking for at most about its timeout, touching no agent state.
 */
interface TaskProbe {

    /**
     * What one run found. {@code returned} is the raw result the real executor logs as "returned: ..." (exit code,
     * HTTP status, 1/0 for TCP), null when there was none (timed out, could not connect or start); {@code passed}
     * is the health-check reading of it; {@code failure} says why it did not pass.
     */
    record Outcome(boolean passed, String returned, String failure) {
        static Outcome pass(String returned) {
            return new Outcome(true, returned, null);
        }

        static Outcome fail(String returned, String failure) {
            return new Outcome(false, returned, failure);
        }
    }

    /** @param timeout null for none (Mesos: {@code timeout_seconds} 0 means no timeout) */
    Outcome run(Duration timeout) throws InterruptedException;

    /** "COMMAND", "HTTP" or "TCP", as the executor names the check in its log. */
    String kind();

    /**
     * The probe of a task's health check.
     *
     * @throws IllegalArgumentException with Mesos's reason when the check cannot run; the master refuses such
     *     tasks, so this only guards the executor, which then (like Mesos's) runs the task without checks
     */
    static TaskProbe of(HealthCheck check, Path sandbox, Map<String, String> taskEnvironment) {
        switch (check.getType()) {
            case COMMAND -> {
                if (!check.hasCommand() || !check.getCommand().hasValue()) {
                    throw new IllegalArgumentException("Expecting 'command' to be set for COMMAND health check");
                }
                return new CommandProbe(check.getCommand(), sandbox, taskEnvironment);
            }
            case HTTP -> {
                if (!check.hasHttp()) {
                    throw new IllegalArgumentException("Expecting 'http' to be set for HTTP health check");
                }
                HealthCheck.HTTPCheckInfo http = check.getHttp();
                return new HttpProbe(http.hasScheme() ? http.getScheme() : "http", host(http.getProtocol()),
                    http.getPort(), http.getPath());
            }
            case TCP -> {
                if (!check.hasTcp()) {
                    throw new IllegalArgumentException("Expecting 'tcp' to be set for TCP health check");
                }
                return new TcpProbe(host(check.getTcp().getProtocol()), check.getTcp().getPort());
            }
            default -> throw new IllegalArgumentException(
                "'" + check.getType() + "' is not a valid health check type");
        }
    }

    /** The probe of a task's (non-health) check; same contract as for health checks. */
    static TaskProbe of(CheckInfo check, Path sandbox, Map<String, String> taskEnvironment) {
        switch (check.getType()) {
            case COMMAND -> {
                if (!check.hasCommand() || !check.getCommand().getCommand().hasValue()) {
                    throw new IllegalArgumentException("Expecting 'command' to be set for COMMAND check");
                }
                return new CommandProbe(check.getCommand().getCommand(), sandbox, taskEnvironment);
            }
            case HTTP -> {
                if (!check.hasHttp()) {
                    throw new IllegalArgumentException("Expecting 'http' to be set for HTTP check");
                }
                return new HttpProbe("http", "127.0.0.1", check.getHttp().getPort(), check.getHttp().getPath());
            }
            case TCP -> {
                if (!check.hasTcp()) {
                    throw new IllegalArgumentException("Expecting 'tcp' to be set for TCP check");
                }
                return new TcpProbe("127.0.0.1", check.getTcp().getPort());
            }
            default -> throw new IllegalArgumentException("'" + check.getType() + "' is not a valid check type");
        }
    }

    /** The task's own address as the executor checks it: loopback, never {@code localhost}. */
    private static String host(NetworkInfo.Protocol protocol) {
        return protocol == NetworkInfo.Protocol.IPv6 ? "::1" : "127.0.0.1";
    }
}
