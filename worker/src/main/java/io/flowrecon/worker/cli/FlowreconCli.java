package io.flowrecon.worker.cli;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.worker.app.WorkerConfig;
import io.flowrecon.worker.cli.commands.BenchCommand;
import io.flowrecon.worker.cli.commands.GradcheckCommand;
import io.flowrecon.worker.cli.commands.JobsBenchCommand;
import io.flowrecon.worker.cli.commands.ModelCommand;
import io.flowrecon.worker.cli.commands.SolveCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The worker jar's command line: {@code ./flowrecon <command> [options]}, i.e.
 * {@code java -cp "flowrecon-worker.jar:lib/*" io.flowrecon.worker.cli.FlowreconCli <command> [options]}. To add a
 * command, add its class to {@code subcommands}. The commands share one {@link WorkerConfig}, read from the
 * environment the first time one of them asks ({@link #config()}), so that {@code --help} works whatever it holds.
 */
@Command(name = "flowrecon", synopsisSubcommandLabel = "COMMAND",
        description = "The worker service and the numeric engine from the command line.",
        subcommands = {WorkerCommand.class, ModelCommand.class, GradcheckCommand.class, SolveCommand.class,
                BenchCommand.class, JobsBenchCommand.class, HelpCommand.class})
public final class FlowreconCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    private final Map<String, String> env;
    private WorkerConfig config;

    FlowreconCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    /** Runs one command line: 0 done, 1 failed (or a check out of tolerance), 2 a usage or settings mistake. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return CommandLines.create(new FlowreconCli(env), out, err).execute(args.toArray(String[]::new));
    }

    /** The process's configuration (FLOWRECON_* variables); a bad variable is an error naming it. */
    public WorkerConfig config() {
        if (config == null) {
            config = WorkerConfig.fromEnvironment(env);
        }
        return config;
    }

    /** The process's environment variables, as given to {@link #run}. */
    public Map<String, String> environment() {
        return env;
    }

    /** The command line a (sub)command belongs to. */
    public static FlowreconCli of(CommandSpec spec) {
        CommandSpec root = spec;
        while (root.parent() != null) {
            root = root.parent();
        }
        return (FlowreconCli) root.userObject();
    }

    @Override
    public Integer call() {
        throw CommandLines.usageError(spec, "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }
}
