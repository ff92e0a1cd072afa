package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What a task runs, shaped like Mesos' {@code CommandInfo}: with {@code shell} true, {@code value} is run by
 * {@code /bin/sh -c}; with {@code shell} false, {@code value} is the executable and {@code arguments} the full
 * argv (argv[0] included), with no shell in between.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandSpec(boolean shell, String value, List<String> arguments) {
    public CommandSpec {
        Checks.notBlank(value, "command value");
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        if (shell && !arguments.isEmpty()) {
            throw new IllegalArgumentException("a shell command takes no arguments list; put them in the command "
                    + "string or set shell=false");
        }
    }

    public static CommandSpec shell(String commandLine) {
        return new CommandSpec(true, commandLine, List.of());
    }

    /** argv form: {@code argv.get(0)} is the executable. */
    public static CommandSpec argv(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name at least the executable");
        }
        return new CommandSpec(false, argv.get(0), argv);
    }
}
