package io.flowrecon.devstack;

import io.flowrecon.devstack.stack.DemoSet;
import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./flowrecon up [--demo NAMES | --no-demo]}: the command line of {@link DevStack}. */
@Command(name = "flowrecon up", sortOptions = false,
        description = {"Embedded Kafka and PostgreSQL, the API on :8080, one worker, and the demos; a crashed API "
                + "or worker is restarted with back-off (1 s doubling to 30 s) while Kafka and PostgreSQL stay up; "
                + "Ctrl-C or SIGTERM stops everything. Run from the repository root."},
        footer = {"", "Demos: fmnist (default; Debian's Fashion-MNIST), bias (the class the biased priors never saw),",
                "celeba and ffhq (faces from $FLOWRECON_DATA, default ../shared/data)."})
final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Option(names = "--demo", split = ",", paramLabel = "NAMES",
            description = "Comma-separated demos to run: fmnist, celeba, ffhq, bias (default fmnist).")
    List<String> demos = DevStack.DEFAULT_DEMOS;
    @Option(names = "--no-demo", description = "Start the stack without running a demo.")
    boolean noDemo;

    /** Parses {@code args} and, unless they are a mistake or ask for help, serves until Ctrl-C. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        return CommandLines.create(new UpCommand(), out, err).execute(args.toArray(String[]::new));
    }

    @Override
    public Integer call() throws InterruptedException {
        DevStack.serve(chosenDemos());
        return 0;
    }

    /** The demos to run, each checked against {@link DemoSet#NAMES}. */
    List<String> chosenDemos() {
        if (noDemo) {
            return List.of();
        }
        for (String name : demos) {
            if (!DemoSet.NAMES.contains(name)) {
                throw CommandLines.usageError(spec, "--demo: '" + name + "' is not a demo; allowed: "
                        + String.join(", ", DemoSet.NAMES));
            }
        }
        return List.copyOf(demos);
    }
}
