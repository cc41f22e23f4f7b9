package io.flowrecon.trainer.bundle;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.trainer.TrainCli;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code verify DIR}: one JSON line of parity and inversion figures of a bundle ({@link BundleVerifier}). Exit 0
 * when all are in tolerance, 1 when one is out of it or the check failed, 2 for a usage error.
 */
@Command(name = "verify", sortOptions = false,
        description = "Print one JSON line of parity and inversion figures; exit 1 when any is out of tolerance.")
public final class VerifyCommand implements Callable<Integer> {

    private static final BundleVerifier.Options DEFAULTS = BundleVerifier.Options.defaults();

    @ParentCommand
    TrainCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "DIR", description = "The model bundle folder.")
    Path dir;
    @Option(names = "--data", paramLabel = "KIND:DIR", description = "Test images (default: the card's dataset).")
    String data = DEFAULTS.data();
    @Option(names = "--images", paramLabel = "N", description = "Test images and samples to check (default ${DEFAULT-VALUE}).")
    int images = DEFAULTS.images();
    @Option(names = "--seed", paramLabel = "S", description = "Default ${DEFAULT-VALUE}.")
    long seed = DEFAULTS.seed();
    @Option(names = "--temperature", paramLabel = "T", description = "Std of the sampled z (glow 0.7, dcgan 1).")
    Double temperature;
    @Option(names = "--tolerance", paramLabel = "E", description = "Largest parity error that passes (default ${DEFAULT-VALUE}).")
    double tolerance = DEFAULTS.tolerance();
    @Option(names = "--python", paramLabel = "PATH", description = "Python with onnx, for its checker (default ${DEFAULT-VALUE}).")
    Path python = DEFAULTS.python();

    @Override
    public Integer call() throws Exception {
        if (images < 1) {
            throw CommandLines.usageError(spec, "--images must be a positive integer, got " + images);
        }
        double t = temperature == null ? DEFAULTS.temperature() : positive("--temperature", temperature);
        BundleVerifier.Report report = new BundleVerifier(new BundleVerifier.Options(data, images, t, seed,
                positive("--tolerance", tolerance), python)).verify(dir);
        cli.out().println(report.toJson());
        for (String problem : report.problems()) {
            cli.err().println(CommandLines.qualifiedName(spec) + ": " + problem);
        }
        return report.pass() ? 0 : 1;
    }

    private double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw CommandLines.usageError(spec, option + " must be a positive number, got " + value);
        }
        return value;
    }
}
