package io.flowrecon.trainer;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
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
 * {@code train glow|dcgan --data KIND:DIR --out DIR [options]}: trains a prior, printing progress (images/s, ETA),
 * checkpointing model and optimiser state, and writes a model bundle at the end. Options that default per family
 * (batch, learning rate) are null until {@link #options()} fills them in.
 */
@Command(name = "train", sortOptions = false, description = "Train a prior and write its model bundle to DIR/bundle.")
final class TrainCommand implements Callable<Integer> {

    /** The families, by their command-line names. */
    enum Family {
        GLOW("glow"), DCGAN("dcgan");

        private final String wireName;

        Family(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    @ParentCommand
    TrainCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "FAMILY", description = "${COMPLETION-CANDIDATES}")
    Family family;
    @Option(names = "--data", required = true, paramLabel = "KIND:DIR",
            description = "fmnist:/usr/share/datasets/fashion-mnist | mnist:DIR | celeba:DIR")
    String data;
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Run folder (checkpoint/ and bundle/ are written inside).")
    Path out;
    @Option(names = "--minutes", paramLabel = "N", defaultValue = "60",
            description = "Wall-clock budget of this invocation (default ${DEFAULT-VALUE}).")
    double minutes;
    @Option(names = "--checkpoint-every-minutes", paramLabel = "M", defaultValue = "5", description = "Default ${DEFAULT-VALUE}.")
    double checkpointEveryMinutes;
    @Option(names = "--resume", description = "Continue from DIR/checkpoint (model and Adam state).")
    boolean resume;
    @Option(names = "--exclude-class", paramLabel = "K", description = "Leave class K out of the training set (biased prior).")
    Integer excludedClass;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N training images (0: all).")
    int limit;
    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0", description = "Stop after N steps in total (0: the time budget only).")
    long maxSteps;
    @Option(names = "--levels", paramLabel = "L", defaultValue = "2", description = "glow: levels (default ${DEFAULT-VALUE}).")
    int levels;
    @Option(names = "--steps", paramLabel = "K", defaultValue = "8", description = "glow: steps per level (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--hidden", paramLabel = "H", defaultValue = "64", description = "glow: coupling width (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--n-bits", paramLabel = "B", defaultValue = "8", description = "glow: bits per colour (default ${DEFAULT-VALUE}).")
    int nBits;
    @Option(names = "--warmup", paramLabel = "S", defaultValue = "500", description = "glow: learning-rate warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--max-grad-norm", paramLabel = "G", defaultValue = "50", description = "glow: gradient clipping norm (default ${DEFAULT-VALUE}).")
    double maxGradNorm;
    @Option(names = "--latent", paramLabel = "D", defaultValue = "100", description = "dcgan: latent size (default ${DEFAULT-VALUE}).")
    int latent;
    @Option(names = "--features", paramLabel = "F", defaultValue = "64",
            description = "dcgan: width of the last hidden layer (default ${DEFAULT-VALUE}); Adam(lr, beta1 0.5).")
    int features;
    @Option(names = "--batch", paramLabel = "B", description = "Batch size (32 glow, 64 dcgan).")
    Integer batch;
    @Option(names = "--lr", paramLabel = "R", description = "Adam's learning rate (1e-3 glow, 2e-4 dcgan: Radford et al.).")
    Double lr;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--report-every", paramLabel = "N", defaultValue = "10", description = "Steps between progress lines (default ${DEFAULT-VALUE}).")
    int reportEvery;
    @Option(names = "--eval-images", paramLabel = "N", defaultValue = "1000", description = "Test images for bits/dim (default ${DEFAULT-VALUE}).")
    int evalImages;
    @Option(names = "--id", paramLabel = "MODEL_ID", description = "The bundle's model id.")
    String id;

    @Override
    public Integer call() throws Exception {
        TrainOptions options = options();
        if (System.getenv("OMP_NUM_THREADS") == null) {
            cli.err().println("train: note: OMP_NUM_THREADS is not set; on a shared machine set OMP_NUM_THREADS=1 "
                    + "OMP_WAIT_POLICY=PASSIVE");
        }
        return switch (family) {
            case GLOW -> new GlowRun(options, cli.out()).run();
            case DCGAN -> new DcganRun(options, cli.out()).run();
        };
    }

    /** The run's settings, with the per-family defaults and the command that reproduces it. */
    TrainOptions options() {
        boolean glow = family == Family.GLOW;
        return new TrainOptions(family.toString(), data, out, positive("--minutes", minutes),
                positive("--checkpoint-every-minutes", checkpointEveryMinutes), resume, excludedClass, limit, maxSteps,
                levels, steps, hidden, batch != null ? batch : glow ? 32 : 64,
                positive("--lr", lr != null ? lr : glow ? 1e-3 : 2e-4), warmup, maxGradNorm, nBits, seed,
                Math.max(1, reportEvery), evalImages, id, latent, features,
                "./flowrecon " + String.join(" ", cli.args()));
    }

    private double positive(String option, double value) {
        if (!(value > 0)) {
            throw CommandLines.usageError(spec, option + " must be positive, got " + value);
        }
        return value;
    }
}
