package io.flowrecon.worker.cli;

import io.flowrecon.worker.cli.commands.BenchCommand;
import io.flowrecon.worker.cli.commands.GradcheckCommand;
import io.flowrecon.worker.cli.commands.ModelCommand;
import io.flowrecon.worker.cli.commands.SolveCommand;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker jar's command line: {@code ./flowrecon <command> [args]}, i.e. {@code java -cp "flowrecon-worker.jar:lib/*" io.flowrecon.worker.cli.FlowreconCli <command> [args]}.
 * To add a command, add one line to {@link #commands()}.
 */
public final class FlowreconCli {

    private final Map<String, Command> commands;

    public FlowreconCli(Map<String, Command> commands) {
        this.commands = new LinkedHashMap<>(commands);
    }

    /** Every command this jar offers, in usage order. */
    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("worker", new WorkerCommand());
        commands.put("model", new ModelCommand());
        commands.put("gradcheck", new GradcheckCommand());
        commands.put("solve", new SolveCommand());
        commands.put("bench", new BenchCommand());
        return commands;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new FlowreconCli(commands()).run(Arrays.asList(args), System.getenv(), System.err);
        } catch (Exception e) {
            System.err.println("flowrecon: " + e.getMessage());
            e.printStackTrace(System.err);
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the named command; unknown or missing names print the usage and return 2. */
    public int run(List<String> args, Map<String, String> env, PrintStream err) throws Exception {
        if (args.isEmpty() || !commands.containsKey(args.get(0))) {
            if (!args.isEmpty() && !List.of("help", "-h", "--help").contains(args.get(0))) {
                err.println("unknown command '" + args.get(0) + "'");
            }
            err.println(usage());
            return 2;
        }
        return commands.get(args.get(0)).run(args.subList(1, args.size()), env);
    }

    String usage() {
        StringBuilder text = new StringBuilder("usage: flowrecon <command> [args]\ncommands:\n");
        commands.forEach((name, command) -> text.append(String.format("  %-10s %s%n", name, command.summary())));
        return text.toString();
    }
}
