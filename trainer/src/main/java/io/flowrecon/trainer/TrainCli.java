package io.flowrecon.trainer;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.trainer.bundle.SampleCommand;
import io.flowrecon.trainer.bundle.VerifyCommand;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The trainer jar's command line: {@code train glow|dcgan --data ... --out DIR --minutes N
 * --checkpoint-every-minutes M --resume} trains a prior ({@link TrainCommand}); {@code verify DIR} and
 * {@code sample DIR --n 64 --out PNG} check and sample a bundle. Launch with OMP_NUM_THREADS=1 and
 * OMP_WAIT_POLICY=PASSIVE on a shared machine.
 */
@Command(name = "flowrecon", synopsisSubcommandLabel = "COMMAND",
        description = "Train a prior (Deeplearning4j), verify a bundle, sample it.",
        subcommands = {TrainCommand.class, VerifyCommand.class, SampleCommand.class, HelpCommand.class})
public final class TrainCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;

    private TrainCli(List<String> args, PrintStream out, PrintStream err) {
        this.args = List.copyOf(args);
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** The commands without System.exit: 0 ok, 1 failed (or out of tolerance), 2 usage error. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        // JavaCPP loads the oneDNN build of libnd4j only with this extension (3-5x faster convolutions)
        if (System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", "-onednn");
        }
        return CommandLines.create(new TrainCli(args, out, err), out, err).execute(args.toArray(String[]::new));
    }

    /** The command line as typed, for the card's reproducing command. */
    public List<String> args() {
        return args;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    @Override
    public Integer call() {
        throw CommandLines.usageError(spec, "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }
}
