package io.flowrecon.worker.cli.commands;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.SubsampledDctOperator;
import io.flowrecon.worker.cli.Command;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.GraphFlops;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.optim.Lbfgs;
import io.flowrecon.worker.optim.LbfgsSettings;
import io.flowrecon.worker.runtime.SessionCache;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code flowrecon bench}: times one bundle's compressive-sensing objective and prints ONE JSON line:
 * forward_ms (median G(z) run alone), objective_ms (median loss + gradient run), ratio (objective / forward:
 * the adjoint's overhead, ideally about 3), gflops (Conv/ConvTranspose/MatMul/Gemm work of the objective graph
 * per objective second), lbfgs_step_ms (median outer L-BFGS step from a random z, the paper's 20 iterations without line search).
 * Medians of one run, so ratios are comparable on a noisy shared machine; absolute numbers are not.
 */
public final class BenchCommand implements Command {

    private static final Set<String> OPTIONS = Set.of("model", "problem", "m", "batch", "threads", "repeats", "steps", "operator", "z-std");

    /**
     * Untimed runs before the timed ones, at least this many and for at least {@link #WARM_UP_NANOS}: the first
     * run allocates and plans ONNX Runtime's memory, and the next ones still ran 2-3x slower on the 2-core test
     * host (JIT of the Java glue, caches): with one warm-up run a 20-run median of a 4 ms graph came out about
     * 25% high, and with 5 warm-up runs a 3-run median of a 9 ms graph 2.5x high.
     */
    private static final int WARM_UP_RUNS = 5;
    private static final long WARM_UP_NANOS = 500_000_000L;

    private final PrintStream out;

    public BenchCommand() {
        this(System.out);
    }

    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String summary() {
        return "bench --model DIR --problem cs --m M --batch B --threads T [--repeats 10] [--steps 3] [--operator gaussian] [--z-std 1]: one JSON line of timings";
    }

    @Override
    public int run(List<String> arguments, Map<String, String> env) throws OrtException {
        CommandArgs args;
        try {
            args = new CommandArgs("bench", arguments, OPTIONS);
            if (!args.string("problem", "cs").equals("cs")) {
                throw new CommandArgs.UsageException("bench: only --problem cs is benchmarked");
            }
        } catch (CommandArgs.UsageException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Prior prior = Prior.fromBundle(Path.of(args.required("model")));
        ImageShape shape = prior.shape();
        int m = args.integer("m", Math.max(1, shape.size() / 8));
        int batch = args.integer("batch", 1);
        int threads = args.integer("threads", 1);
        int repeats = Math.max(1, args.integer("repeats", 10));
        int steps = Math.max(1, args.integer("steps", 3));
        MeasurementOperator operator = args.string("operator", "gaussian").equals("subsampled-dct")
                ? new SubsampledDctOperator(shape, m, 7) : new GaussianOperator(m, shape.size(), 7);
        SplittableRandom random = new SplittableRandom(3);
        // Random-init Glows overflow to NaN for z ~ N(0, 1) (24 divided couplings); --z-std keeps the timed
        // arithmetic finite and L-BFGS running (bench/run.sh passes 0.1, as it does to the PyTorch reference).
        double zStd = args.number("z-std", 1.0);
        if (!(zStd >= 0) || !Double.isFinite(zStd)) {
            System.err.println("bench: --z-std must be a finite number >= 0, got " + zStd);
            return 2;
        }
        float[] z = GradcheckCommand.gaussian(random, batch * prior.latent(), zStd);

        try (ObjectiveEngine engine = EngineSetup.engine(env, threads)) {
            double forwardMs = forwardMillis(engine, prior, batch, z, repeats);
            float[][] y = new float[batch][];
            for (int b = 0; b < batch; b++) {
                y[b] = GradcheckCommand.gaussian(random, m, 0.1);
            }
            try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, OperatorGraph.of(operator, shape), batch, 0);
                 BoundObjective objective = lease.value().bind(y)) {
                double[] losses = new double[batch];
                float[] gradients = new float[z.length];
                long warmUpStart = System.nanoTime();
                for (int w = 0; w < WARM_UP_RUNS || System.nanoTime() - warmUpStart < WARM_UP_NANOS; w++) {
                    objective.evaluate(z, losses, gradients);
                }
                if (!Arrays.stream(losses).allMatch(Double::isFinite)) {
                    System.err.println("bench: the loss at z is not finite (lower --z-std, now " + zStd
                            + "); the timings below are of NaN arithmetic and L-BFGS stops at once");
                }
                double[] objectiveTimes = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    objective.evaluate(z, losses, gradients);
                    objectiveTimes[r] = (System.nanoTime() - start) / 1e6;
                }
                double objectiveMs = median(objectiveTimes);
                long flops = GraphFlops.count(lease.value().graph().model());
                // From a random z: z = 0 is a stationary point of bias-free ReLU generators, where L-BFGS stops at once.
                Lbfgs lbfgs = new Lbfgs(LbfgsSettings.paper(), objective, z);
                double[] stepTimes = new double[steps];
                for (int s = 0; s < steps; s++) {
                    long start = System.nanoTime();
                    lbfgs.step();
                    stepTimes[s] = (System.nanoTime() - start) / 1e6;
                }
                out.println(String.format(Locale.ROOT,
                        "{\"model\":\"%s\",\"m\":%d,\"batch\":%d,\"threads\":%d,\"z_std\":%s,\"provider\":\"%s\",\"forward_ms\":%.3f,"
                                + "\"objective_ms\":%.3f,\"ratio\":%.3f,\"gflops\":%.3f,\"lbfgs_step_ms\":%.3f}",
                        prior.id(), m, batch, threads, zStd, engine.providerDescription(), forwardMs, objectiveMs,
                        objectiveMs / forwardMs, flops / (objectiveMs * 1e6), median(stepTimes)));
            }
        }
        return 0;
    }

    /** Median time of the generator graph alone, batch pinned, in its own session. */
    private static double forwardMillis(ObjectiveEngine engine, Prior prior, int batch, float[] z, int repeats) throws OrtException {
        GraphBuilder g = GraphBuilder.from(prior.generator(), Map.of(prior.latentInput(), new long[] {batch, prior.latent()}));
        try (OrtSession session = engine.factory().open(g.toBytes())) {
            long warmUpStart = System.nanoTime();
            for (int w = 0; w < WARM_UP_RUNS || System.nanoTime() - warmUpStart < WARM_UP_NANOS; w++) {
                runGenerator(engine, session, prior, batch, z);
            }
            double[] times = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                runGenerator(engine, session, prior, batch, z);
                times[r] = (System.nanoTime() - start) / 1e6;
            }
            return median(times);
        }
    }

    /** One G(z) run, input tensor creation and output read included (as an objective evaluation has them). */
    private static void runGenerator(ObjectiveEngine engine, OrtSession session, Prior prior, int batch, float[] z)
            throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(engine.factory().environment(), FloatBuffer.wrap(z),
                new long[] {batch, prior.latent()});
             OrtSession.Result result = session.run(Map.of(prior.latentInput(), input))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer();
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
