package io.flowrecon.worker.cli.commands;

import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.Masks;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.worker.app.WorkerConfig;
import io.flowrecon.worker.cli.FlowreconCli;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.GradientCheck;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.runtime.SessionCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flowrecon gradcheck DIR}: checks the gradient of a bundle's objective graphs before the bundle is trusted
 * with jobs. For denoising, Gaussian CS and inpainting: central differences of the objective along random
 * directions; and a dot-product test of the generator's reverse pass alone, <J u, w> = <u, J^T w>, with J u from
 * central differences of G and J^T w from the objective with A = I and y = G(z) - w/2 (whose gradient is J^T w).
 * Exit status 0 when every check is within tolerance, 1 otherwise.
 */
@Command(name = "gradcheck", sortOptions = false,
        description = "Check a bundle's objective gradients (finite differences and a dot-product test); "
                + "exit status 0 when every check is within tolerance, 1 otherwise.")
public final class GradcheckCommand implements Callable<Integer> {

    @ParentCommand
    FlowreconCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "DIR", description = "The model bundle folder.")
    Path bundle;
    @Option(names = "--directions", paramLabel = "N", defaultValue = "3",
            description = "Random directions per check (default ${DEFAULT-VALUE}).")
    int directions;
    // Measured: smooth Glow graphs pass at ~1e-3; a random 64x64 DCGAN (ReLU kinks, float32) at 2e-3 .. 1.1e-2.
    // A real gradient error (wrong transpose, missing term) is O(1), so 3e-2 separates the two.
    @Option(names = "--tolerance", paramLabel = "E", defaultValue = "3e-2",
            description = "Largest relative error that passes (default ${DEFAULT-VALUE}).")
    double tolerance;
    @Option(names = "--batch", paramLabel = "B", defaultValue = "2", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of z and the operators (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (directions < 1 || batch < 1 || !(tolerance > 0)) {
            throw CommandLines.usageError(spec, "--directions and --batch must be >= 1 and --tolerance > 0, got "
                    + directions + ", " + batch + " and " + tolerance);
        }
        PrintWriter out = spec.commandLine().getOut();
        WorkerConfig config = cli.config();
        Prior prior = Prior.fromBundle(bundle);
        int n = prior.shape().size();
        boolean ok = true;
        try (ObjectiveEngine engine = EngineSetup.engine(config, 1)) {
            List<MeasurementOperator> operators = List.of(
                    new IdentityOperator(n),
                    new GaussianOperator(Math.max(1, n / 4), n, seed),
                    new MaskOperator(Masks.create(new Problem.Mask.RandomPixels(0.3, seed), prior.shape()), prior.shape()));
            // Measurements close to A G(z): a small residual keeps the float32 loss small, so that its round-off
            // does not swamp the finite differences (with y ~ N(0, 1/4) on a 64x64 DCGAN the loss is ~5e3 and
            // central differences were off by 3e-2 at every h).
            SplittableRandom random = new SplittableRandom(seed);
            float[] z = gaussian(random, batch * prior.latent(), 1);
            float[] images = images(engine, prior, z, batch);
            for (MeasurementOperator operator : operators) {
                float[][] y = new float[batch][];
                for (int b = 0; b < batch; b++) {
                    float[] x = java.util.Arrays.copyOfRange(images, b * n, (b + 1) * n);
                    y[b] = new float[operator.rows()];
                    operator.apply(x, y[b]);
                    for (int k = 0; k < y[b].length; k++) {
                        y[b][k] += (float) (0.05 * random.nextGaussian());
                    }
                }
                try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, OperatorGraph.of(operator, prior.shape()), batch, 0);
                     BoundObjective objective = lease.value().bind(y)) {
                    double error = GradientCheck.worstRelativeError(objective, z, directions, random);
                    ok &= report(out, "finite-difference " + operator.describe(), error, tolerance);
                }
            }
            ok &= report(out, "dot-product generator J^T (median of " + directions + ")", dotProductError(engine, prior, seed, directions), tolerance);
        }
        out.println(ok ? "gradcheck: PASS" : "gradcheck: FAIL");
        return ok ? 0 : 1;
    }

    private static boolean report(PrintWriter out, String check, double error, double tolerance) {
        boolean pass = error <= tolerance;
        out.printf("%-70s relative error %.3e  %s%n", check, error, pass ? "ok" : "FAIL (tolerance " + tolerance + ")");
        return pass;
    }

    /** G(z) of every image of the batch, [B * n]. */
    private static float[] images(ObjectiveEngine engine, Prior prior, float[] z, int batch) {
        int n = prior.shape().size();
        OperatorGraph identity = OperatorGraph.of(new IdentityOperator(n), prior.shape());
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, identity, batch, 0);
             BoundObjective probe = lease.value().bind(new float[batch][n])) {
            return probe.images(z).values();
        }
    }

    /**
     * Median over {@code trials} random (z, u, w) of the best-of-h relative error of <J u, w> = <u, J^T w>. The
     * median, because a ReLU generator's kinks spoil single directions at random (measured: 2e-3 in most,
     * 6e-2 in one of nine on a random 64x64 DCGAN), while a wrong reverse rule spoils every direction.
     */
    private static double dotProductError(ObjectiveEngine engine, Prior prior, long seed, int trials) {
        int n = prior.shape().size();
        SplittableRandom random = new SplittableRandom(seed + 1);
        OperatorGraph identity = OperatorGraph.of(new IdentityOperator(n), prior.shape());
        double[] errors = new double[trials];
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, identity, 1, 0);
             BoundObjective probe = lease.value().bind(new float[][] {new float[n]})) {
            for (int trial = 0; trial < trials; trial++) {
                float[] z = gaussian(random, prior.latent(), 1);
                float[] u = gaussian(random, prior.latent(), 1);
                float[] w = gaussian(random, n, 1);
                float[] image = probe.images(z).image(0);
                // With y = G(z) - w/2 the objective's gradient 2 J^T (G(z) - y) is exactly J^T w.
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    y[i] = image[i] - w[i] / 2;
                }
                double transposeSide;
                try (BoundObjective objective = lease.value().bind(new float[][] {y})) {
                    float[] gradient = new float[prior.latent()];
                    objective.evaluate(z, new double[1], gradient);
                    transposeSide = dot(u, gradient);
                }
                double best = Double.POSITIVE_INFINITY;
                for (double h : GradientCheck.STEPS) {
                    float[] plus = probe.images(shifted(z, u, h)).image(0);
                    float[] minus = probe.images(shifted(z, u, -h)).image(0);
                    double forwardSide = 0;
                    for (int i = 0; i < n; i++) {
                        forwardSide += (plus[i] - minus[i]) / (2 * h) * w[i];
                    }
                    best = Math.min(best, Math.abs(forwardSide - transposeSide) / Math.max(Math.abs(transposeSide), 1e-3));
                }
                errors[trial] = best;
            }
        }
        java.util.Arrays.sort(errors);
        return errors[trials / 2];
    }

    private static float[] shifted(float[] z, float[] u, double h) {
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = (float) (z[i] + h * u[i]);
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    static float[] gaussian(SplittableRandom random, int count, double std) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        return v;
    }
}
