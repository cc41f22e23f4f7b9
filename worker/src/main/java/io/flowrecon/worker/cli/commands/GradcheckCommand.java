package io.flowrecon.worker.cli.commands;

import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.Masks;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.cli.Command;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.GradientCheck;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.runtime.SessionCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code flowrecon gradcheck DIR}: checks the gradient of a bundle's objective graphs before the bundle is trusted
 * with jobs. For denoising, Gaussian CS and inpainting: central differences of the objective along random
 * directions; and a dot-product test of the generator's reverse pass alone, <J u, w> = <u, J^T w>, with J u from
 * central differences of G and J^T w from the objective with A = I and y = G(z) - w/2 (whose gradient is J^T w).
 * Exit status 0 when every check is within tolerance, 1 otherwise.
 */
public final class GradcheckCommand implements Command {

    private static final Set<String> OPTIONS = Set.of("directions", "tolerance", "seed", "batch");

    private final PrintStream out;

    public GradcheckCommand() {
        this(System.out);
    }

    public GradcheckCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String summary() {
        return "gradcheck DIR [--directions 3] [--tolerance 1e-2] [--batch 2] [--seed 1]: check a bundle's objective gradients";
    }

    @Override
    public int run(List<String> arguments, Map<String, String> env) {
        CommandArgs args;
        try {
            args = new CommandArgs("gradcheck", arguments, OPTIONS);
            if (args.positional().size() != 1) {
                throw new CommandArgs.UsageException("gradcheck: give exactly one bundle folder, got " + args.positional());
            }
        } catch (CommandArgs.UsageException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        int directions = args.integer("directions", 3);
        double tolerance = args.number("tolerance", 1e-2);
        int batch = args.integer("batch", 2);
        long seed = args.integer("seed", 1);
        Prior prior = Prior.fromBundle(Path.of(args.positional().get(0)));
        int n = prior.shape().size();
        boolean ok = true;
        try (ObjectiveEngine engine = EngineSetup.engine(env, 1)) {
            List<MeasurementOperator> operators = List.of(
                    new IdentityOperator(n),
                    new GaussianOperator(Math.max(1, n / 4), n, seed),
                    new MaskOperator(Masks.create(new Problem.Mask.RandomPixels(0.3, seed), prior.shape()), prior.shape()));
            for (MeasurementOperator operator : operators) {
                SplittableRandom random = new SplittableRandom(seed);
                float[][] y = new float[batch][];
                for (int b = 0; b < batch; b++) {
                    y[b] = gaussian(random, operator.rows(), 0.5);
                }
                try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, OperatorGraph.of(operator, prior.shape()), batch, 0);
                     BoundObjective objective = lease.value().bind(y)) {
                    double error = GradientCheck.worstRelativeError(objective, gaussian(random, batch * prior.latent(), 1), directions, random);
                    ok &= report("finite-difference " + operator.describe(), error, tolerance);
                }
            }
            ok &= report("dot-product generator J^T", dotProductError(engine, prior, seed), tolerance);
        }
        out.println(ok ? "gradcheck: PASS" : "gradcheck: FAIL");
        return ok ? 0 : 1;
    }

    private boolean report(String check, double error, double tolerance) {
        boolean pass = error <= tolerance;
        out.printf("%-70s relative error %.3e  %s%n", check, error, pass ? "ok" : "FAIL (tolerance " + tolerance + ")");
        return pass;
    }

    private static double dotProductError(ObjectiveEngine engine, Prior prior, long seed) {
        int n = prior.shape().size();
        SplittableRandom random = new SplittableRandom(seed + 1);
        float[] z = gaussian(random, prior.latent(), 1);
        float[] u = gaussian(random, prior.latent(), 1);
        float[] w = gaussian(random, n, 1);
        OperatorGraph identity = OperatorGraph.of(new IdentityOperator(n), prior.shape());
        float[] image;
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, identity, 1, 0);
             BoundObjective probe = lease.value().bind(new float[][] {new float[n]})) {
            image = probe.images(z).image(0);
            double best = Double.POSITIVE_INFINITY;
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
            for (double h : new double[] {1e-2, 3e-3, 1e-3}) {
                float[] plus = probe.images(shifted(z, u, h)).image(0);
                float[] minus = probe.images(shifted(z, u, -h)).image(0);
                double forwardSide = 0;
                for (int i = 0; i < n; i++) {
                    forwardSide += (plus[i] - minus[i]) / (2 * h) * w[i];
                }
                best = Math.min(best, Math.abs(forwardSide - transposeSide) / Math.max(Math.abs(transposeSide), 1e-3));
            }
            return best;
        }
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
