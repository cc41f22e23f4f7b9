package io.flowrecon.worker.cli.commands;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.operator.Measurements;
import io.flowrecon.worker.cli.FlowreconCli;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flowrecon solve}: simulates measurements of a PNG under a problem, reconstructs it with a prior bundle
 * and writes the estimate; prints the PSNR against the input. The same code path as a worker job, without the
 * queue and the database.
 */
@Command(name = "solve", sortOptions = false,
        description = "Simulate measurements of a PNG, reconstruct it with a prior bundle, write the estimate and "
                + "print its PSNR against the input.")
public final class SolveCommand implements Callable<Integer> {

    /** The problems, by their command-line names. */
    enum ProblemKind {
        CS("cs"), DENOISE("denoise"), INPAINT("inpaint");

        private final String wireName;

        ProblemKind(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    @ParentCommand
    FlowreconCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The prior's bundle folder.")
    Path model;
    @Option(names = "--problem", required = true, paramLabel = "KIND", description = "One of ${COMPLETION-CANDIDATES}.")
    ProblemKind problem;
    @Option(names = "--image", required = true, paramLabel = "PNG", description = "The ground truth to measure.")
    Path image;
    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Where the estimate is written.")
    Path out;
    @Option(names = "--m", paramLabel = "M", description = "Number of measurements (cs; required there).")
    Integer m;
    @Option(names = "--operator", paramLabel = "A", defaultValue = "gaussian",
            description = "cs operator: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OperatorChoice operator;
    @Option(names = "--mask", paramLabel = "MASK", defaultValue = "center-block:8",
            description = "inpaint mask: center-block:SIZE or random:MISSING_FRACTION (default ${DEFAULT-VALUE}).")
    String mask;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the operator and mask (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--noise-norm", paramLabel = "X",
            description = "Gaussian noise scaled to this norm ||eta|| (cs default 0.1, the paper's).")
    Double noiseNorm;
    @Option(names = "--noise-std", paramLabel = "X", description = "Gaussian noise of this std (denoise default 0.1).")
    Double noiseStd;
    @Option(names = "--noise-seed", paramLabel = "S", description = "Seed of the noise (default: --seed + 1).")
    Long noiseSeed;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "lbfgs or adam (default: the prior kind's).")
    String optimizer;
    @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default: the prior kind's).")
    Integer steps;
    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: the prior kind's).")
    Double lr;
    @Option(names = "--gamma", paramLabel = "G", description = "Weight of the latent norm penalty (default: the prior kind's).")
    Double gamma;
    @Option(names = "--restarts", paramLabel = "R", description = "Random restarts (default: the prior kind's).")
    Integer restarts;
    @Option(names = "--line-search", paramLabel = "L",
            description = "L-BFGS: none (the paper's fixed step) or strong-wolfe (default: the prior kind's).")
    String lineSearch;
    @Option(names = "--threads", paramLabel = "T", description = "ONNX Runtime intra-op threads (default: FLOWRECON_INTRA_OP_THREADS).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        Problem simulated = problem();
        PrintWriter err = spec.commandLine().getErr();
        String name = CommandLines.qualifiedName(spec);
        ModelBundle bundle;
        try {
            bundle = ModelBundle.read(model);
        } catch (ModelBundleException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        }
        Image truth = Png.decode(Files.readAllBytes(image));
        if (!truth.shape().equals(bundle.card().imageShape())) {
            err.println(name + ": the image is " + truth.shape() + " but model " + bundle.card().id() + " makes "
                    + bundle.card().imageShape() + " images");
            return 1;
        }
        SolverSettings settings = settings(SolverSettings.defaultsFor(bundle.card().kind()));
        Measurements measurements = Measurements.simulate(simulated, truth.values(), truth.shape());
        long start = System.nanoTime();
        Reconstruction result;
        try (ObjectiveEngine engine = EngineSetup.engine(cli.config(), threads)) {
            result = EngineSetup.solverFor(engine, bundle).solve(measurements.operator(), measurements.values(),
                    truth.shape(), settings, ProgressListener.NONE);
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        Files.write(out, Png.encode(new Image(truth.shape(), result.image())));
        spec.commandLine().getOut().printf(
                "psnr_db=%.3f iterations=%d evaluations=%d latent_norm=%.4f stop_reason=%s wall_millis=%d operator=%s%n",
                Psnr.compute(truth.values(), result.image()), result.iterations(), result.evaluations(), result.latentNorm(),
                result.stopReason(), wallMillis, measurements.operator().describe());
        return 0;
    }

    private Problem problem() {
        long noise = noiseSeed != null ? noiseSeed : seed + 1;
        Problem.Noise defaultNoise = switch (problem) {
            case CS -> new Problem.Noise.GaussianNorm(0.1, noise); // the paper's ||eta|| = 0.1
            case DENOISE -> new Problem.Noise.Gaussian(0.1, noise);
            case INPAINT -> new Problem.Noise.None();
        };
        Problem.Noise chosen = noiseNorm != null ? new Problem.Noise.GaussianNorm(noiseNorm, noise)
                : noiseStd != null ? new Problem.Noise.Gaussian(noiseStd, noise) : defaultNoise;
        return switch (problem) {
            case CS -> {
                if (m == null) {
                    throw CommandLines.usageError(spec, "--m (the number of measurements) is required for --problem cs");
                }
                yield new Problem.CompressiveSensing(m, operator.operator(), seed, chosen);
            }
            case DENOISE -> new Problem.Denoising(chosen);
            case INPAINT -> new Problem.Inpainting(mask(), chosen);
        };
    }

    private Problem.Mask mask() {
        String[] parts = mask.split(":", 2);
        try {
            if (parts.length == 2 && parts[0].equals("center-block")) {
                return new Problem.Mask.CenterBlock(Integer.parseInt(parts[1]));
            }
            if (parts.length == 2 && parts[0].equals("random")) {
                return new Problem.Mask.RandomPixels(Double.parseDouble(parts[1]), seed);
            }
        } catch (NumberFormatException e) {
            // falls through to the usage message
        }
        throw CommandLines.usageError(spec, "--mask must be center-block:SIZE or random:MISSING_FRACTION, got '" + mask + "'");
    }

    private SolverSettings settings(SolverSettings defaults) {
        String chosen = optimizer != null ? optimizer : defaults.optimizer();
        String search = EngineSetup.lineSearch(spec, lineSearch,
                chosen.equals(defaults.optimizer()) ? defaults.lineSearch() : SolverSettings.NO_LINE_SEARCH);
        return new SolverSettings(chosen,
                steps != null ? steps : defaults.steps(), lr != null ? lr : defaults.lr(),
                gamma != null ? gamma : defaults.gamma(), defaults.lambda(),
                restarts != null ? restarts : defaults.restarts(), defaults.init(), search);
    }
}
