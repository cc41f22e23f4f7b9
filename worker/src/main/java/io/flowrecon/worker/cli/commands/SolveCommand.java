package io.flowrecon.worker.cli.commands;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.operator.Measurements;
import io.flowrecon.worker.cli.Command;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code flowrecon solve}: simulates measurements of a PNG under a problem, reconstructs it with a prior bundle
 * and writes the estimate; prints the PSNR against the input. The same code path as a worker job, without the
 * queue and the database.
 */
public final class SolveCommand implements Command {

    private static final Set<String> OPTIONS = Set.of("model", "problem", "image", "out", "m", "operator", "seed",
            "noise-norm", "noise-std", "noise-seed", "mask", "optimizer", "steps", "lr", "gamma", "restarts", "threads");

    private final PrintStream out;

    public SolveCommand() {
        this(System.out);
    }

    public SolveCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String summary() {
        return "solve --model DIR --problem cs|denoise|inpaint --image PNG --out PNG [--m M] [--operator gaussian|subsampled-dct] "
                + "[--mask center-block:S|random:P] [--noise-norm X|--noise-std X] [--steps N --lr LR --gamma G --restarts R]";
    }

    @Override
    public int run(List<String> arguments, Map<String, String> env) throws IOException {
        CommandArgs args;
        Problem problem;
        try {
            args = new CommandArgs("solve", arguments, OPTIONS);
            problem = problem(args);
        } catch (CommandArgs.UsageException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path bundleDir = Path.of(args.required("model"));
        ModelBundle bundle;
        try {
            bundle = ModelBundle.read(bundleDir);
        } catch (ModelBundleException e) {
            System.err.println("solve: " + e.getMessage());
            return 1;
        }
        Image truth = Png.decode(Files.readAllBytes(Path.of(args.required("image"))));
        if (!truth.shape().equals(bundle.card().imageShape())) {
            System.err.println("solve: the image is " + truth.shape() + " but model " + bundle.card().id() + " makes "
                    + bundle.card().imageShape() + " images");
            return 1;
        }
        SolverSettings settings = settings(args, SolverSettings.defaultsFor(bundle.card().kind()));
        Measurements measurements = Measurements.simulate(problem, truth.values(), truth.shape());
        Integer threads = args.has("threads") ? args.integer("threads", 1) : null;
        long start = System.nanoTime();
        Reconstruction result;
        try (ObjectiveEngine engine = EngineSetup.engine(env, threads)) {
            result = EngineSetup.solverFor(engine, bundle).solve(measurements.operator(), measurements.values(),
                    truth.shape(), settings, ProgressListener.NONE);
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        Files.write(Path.of(args.required("out")), Png.encode(new Image(truth.shape(), result.image())));
        out.printf("psnr_db=%.3f iterations=%d evaluations=%d latent_norm=%.4f stop_reason=%s wall_millis=%d operator=%s%n",
                Psnr.compute(truth.values(), result.image()), result.iterations(), result.evaluations(), result.latentNorm(),
                result.stopReason(), wallMillis, measurements.operator().describe());
        return 0;
    }

    static Problem problem(CommandArgs args) {
        long seed = args.integer("seed", 0);
        long noiseSeed = args.integer("noise-seed", (int) seed + 1);
        String kind = args.required("problem");
        Problem.Noise defaultNoise = switch (kind) {
            case "cs" -> new Problem.Noise.GaussianNorm(0.1, noiseSeed); // the paper's ||eta|| = 0.1
            case "denoise" -> new Problem.Noise.Gaussian(0.1, noiseSeed);
            default -> new Problem.Noise.None();
        };
        Problem.Noise noise = args.has("noise-norm") ? new Problem.Noise.GaussianNorm(args.number("noise-norm", 0), noiseSeed)
                : args.has("noise-std") ? new Problem.Noise.Gaussian(args.number("noise-std", 0), noiseSeed) : defaultNoise;
        return switch (kind) {
            case "cs" -> {
                Problem.SensingOperator operator = Problem.SensingOperator.fromWireName(args.string("operator", "gaussian"));
                if (operator == null) {
                    throw new CommandArgs.UsageException("solve: --operator must be gaussian or subsampled-dct");
                }
                yield new Problem.CompressiveSensing(Integer.parseInt(args.required("m")), operator, seed, noise);
            }
            case "denoise" -> new Problem.Denoising(noise);
            case "inpaint" -> new Problem.Inpainting(mask(args.string("mask", "center-block:8"), seed), noise);
            default -> throw new CommandArgs.UsageException("solve: --problem must be cs, denoise or inpaint, got '" + kind + "'");
        };
    }

    private static Problem.Mask mask(String spec, long seed) {
        String[] parts = spec.split(":", 2);
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
        throw new CommandArgs.UsageException("solve: --mask must be center-block:SIZE or random:MISSING_FRACTION, got '" + spec + "'");
    }

    private static SolverSettings settings(CommandArgs args, SolverSettings defaults) {
        return new SolverSettings(args.string("optimizer", defaults.optimizer()), args.integer("steps", defaults.steps()),
                args.number("lr", defaults.lr()), args.number("gamma", defaults.gamma()), defaults.lambda(),
                args.integer("restarts", defaults.restarts()), defaults.init());
    }
}
