package io.beehive.local.master;

import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * The master's checks of a task's {@code check} and {@code health_check}, with Mesos 1.11's messages
 * (common/validation.cpp validateCheckInfo, validateHealthCheck); the master prefixes them with "Task uses invalid
 * check: " or "Task uses invalid health check: " and answers TASK_ERROR.
 */
final class CheckValidation {

    private CheckValidation() {}

    /** Why the check is invalid, or null. */
    static String check(CheckInfo check) {
        if (!check.hasType()) {
            return "CheckInfo must specify 'type'";
        }
        switch (check.getType()) {
            case COMMAND -> {
                if (!check.hasCommand()) {
                    return "Expecting 'command' to be set for COMMAND check";
                }
                CommandInfo command = check.getCommand().getCommand();
                if (!command.hasValue()) {
                    return "Command check must contain "
                        + (command.getShell() ? "'shell command'" : "'executable path'");
                }
            }
            case HTTP -> {
                if (!check.hasHttp()) {
                    return "Expecting 'http' to be set for HTTP check";
                }
                if (check.getHttp().hasPath() && !check.getHttp().getPath().startsWith("/")) {
                    return "The path '" + check.getHttp().getPath() + "' of HTTP check must start with '/'";
                }
            }
            case TCP -> {
                if (!check.hasTcp()) {
                    return "Expecting 'tcp' to be set for TCP check";
                }
            }
            default -> {
                return "'" + check.getType() + "' is not a valid check type";
            }
        }
        if (check.hasDelaySeconds() && check.getDelaySeconds() < 0) {
            return "Expecting 'delay_seconds' to be non-negative";
        }
        if (check.hasIntervalSeconds() && check.getIntervalSeconds() < 0) {
            return "Expecting 'interval_seconds' to be non-negative";
        }
        if (check.hasTimeoutSeconds() && check.getTimeoutSeconds() < 0) {
            return "Expecting 'timeout_seconds' to be non-negative";
        }
        return null;
    }

    /** Why the health check is invalid, or null. */
    static String healthCheck(HealthCheck check) {
        if (!check.hasType()) {
            return "HealthCheck must specify 'type'";
        }
        switch (check.getType()) {
            case COMMAND -> {
                if (!check.hasCommand()) {
                    return "Expecting 'command' to be set for COMMAND health check";
                }
                CommandInfo command = check.getCommand();
                if (!command.hasValue()) {
                    return "Command health check must contain "
                        + (command.getShell() ? "'shell command'" : "'executable path'");
                }
            }
            case HTTP -> {
                if (!check.hasHttp()) {
                    return "Expecting 'http' to be set for HTTP health check";
                }
                HealthCheck.HTTPCheckInfo http = check.getHttp();
                if (http.hasScheme() && !http.getScheme().equals("http") && !http.getScheme().equals("https")) {
                    return "Unsupported HTTP health check scheme: '" + http.getScheme() + "'";
                }
                if (http.hasPath() && !http.getPath().startsWith("/")) {
                    return "The path '" + http.getPath() + "' of HTTP health check must start with '/'";
                }
            }
            case TCP -> {
                if (!check.hasTcp()) {
                    return "Expecting 'tcp' to be set for TCP health check";
                }
            }
            default -> {
                return "'" + check.getType() + "' is not a valid health check type";
            }
        }
        if (check.hasDelaySeconds() && check.getDelaySeconds() < 0) {
            return "Expecting 'delay_seconds' to be non-negative";
        }
        if (check.hasGracePeriodSeconds() && check.getGracePeriodSeconds() < 0) {
            return "Expecting 'grace_period_seconds' to be non-negative";
        }
        if (check.hasIntervalSeconds() && check.getIntervalSeconds() < 0) {
            return "Expecting 'interval_seconds' to be non-negative";
        }
        if (check.hasTimeoutSeconds() && check.getTimeoutSeconds() < 0) {
            return "Expecting 'timeout_seconds' to be non-negative";
        }
        return null;
    }
}
