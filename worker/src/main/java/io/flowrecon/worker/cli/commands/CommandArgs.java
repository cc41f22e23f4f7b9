package io.flowrecon.worker.cli.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and positional arguments; unknown options are an error naming the allowed ones. */
final class CommandArgs {

    private final String command;
    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    CommandArgs(String command, List<String> args, Set<String> allowed) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                if (!allowed.contains(name)) {
                    throw new UsageException(command + ": unknown option --" + name + "; allowed: --" + String.join(", --", new java.util.TreeSet<>(allowed)));
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(command + ": option --" + name + " needs a value");
                }
                options.put(name, args.get(++i));
            } else {
                positional.add(arg);
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    String string(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException(command + ": option --" + name + " is required");
        }
        return value;
    }

    int integer(String name, int defaultValue) {
        String value = options.get(name);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be an integer, got '" + value + "'");
        }
    }

    double number(String name, double defaultValue) {
        String value = options.get(name);
        try {
            return value == null ? defaultValue : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a number, got '" + value + "'");
        }
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    /** A mistake in the command line: printed without a stack trace, exit status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
