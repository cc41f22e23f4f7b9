package io.flowrecon.worker.cli.commands;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.SubsampledDctOperator;
import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.worker.cli.FlowreconCli;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.GraphFlops;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.optim.Lbfgs;
import io.flowrecon.worker.optim.LbfgsSettings;
import io.flowrecon.worker.runtime.SessionCache;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flowrecon bench}: times one bundle's compressive-sensing objective and prints ONE JSON line:
 * forward_ms (median G(z) run alone), objective_ms (median loss + gradient run), ratio (objective / forward:
 * the adjoint's overhead, ideally about 3), gflops (Conv/ConvTranspose/MatMul/Gemm work of the objective graph
 * per objective second), lbfgs_step_ms (median outer L-BFGS step from a random z, the paper's 20 iterations without line search).
 * Medians of one run, so ratios are comparable on a noisy shared machine; absolute numbers are not.
 */
@Command(name = "bench", sortOptions = false,
        description = "Time one bundle's compressive-sensing objective; prints one JSON line (forward_ms, objective_ms, "
                + "ratio, gflops, lbfgs_step_ms).")
public final class BenchCommand implements Callable<Integer> {

    /**
     * Untimed runs before the timed ones, at least this many and for at least {@link #WARM_UP_NANOS}: the first
     * run allocates and plans ONNX Runtime's memory, and the next ones still ran 2-3x slower on the 2-core test
     * host (JIT of the Java glue, caches): with one warm-up run a 20-run median of a 4 ms graph came out about
     * 25% high, and with 5 warm-up runs a 3-run median of a 9 ms graph 2.5x high.
     */
    private static final int WARM_UP_RUNS = 5;
    private static final long WARM_UP_NANOS = 500_000_000L;

    @ParentCommand
    FlowreconCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The prior's bundle folder.")
    Path model;
    @Option(names = "--problem", paramLabel = "KIND", defaultValue = "cs", description = "Only cs is benchmarked (default ${DEFAULT-VALUE}).")
    String problem;
    @Option(names = "--m", paramLabel = "M", description = "Number of measurements (default n / 8).")
    Integer m;
    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Images per objective run (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--threads", paramLabel = "T", defaultValue = "1", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--repeats", paramLabel = "N", defaultValue = "10", description = "Timed runs per median (default ${DEFAULT-VALUE}).")
    int repeats;
    @Option(names = "--steps", paramLabel = "N", defaultValue = "3", description = "Timed L-BFGS steps (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--operator", paramLabel = "A", defaultValue = "gaussian",
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OperatorChoice operator;
    // Random-init Glows overflow to NaN for z ~ N(0, 1) (24 divided couplings); --z-std keeps the timed
    // arithmetic finite and L-BFGS running (bench/run.sh passes 0.1, as it does to the PyTorch reference).
    @Option(names = "--z-std", paramLabel = "X", defaultValue = "1.0", description = "Std of the random z (default ${DEFAULT-VALUE}).")
    double zStd;

    @Override
    public Integer call() throws OrtException {
        if (!problem.equals("cs")) {
            throw CommandLines.usageError(spec, "--problem: only cs is benchmarked, got '" + problem + "'");
        }
        if (!(zStd >= 0) || !Double.isFinite(zStd)) {
            throw CommandLines.usageError(spec, "--z-std must be a finite number >= 0, got " + zStd);
        }
        if (batch < 1 || threads < 0) {
            throw CommandLines.usageError(spec, "--batch must be >= 1 and --threads >= 0 (0 = one per core), got "
                    + batch + " and " + threads);
        }
        Prior prior = Prior.fromBundle(model);
        ImageShape shape = prior.shape();
        int m = this.m != null ? this.m : Math.max(1, shape.size() / 8);
        int repeats = Math.max(1, this.repeats);
        int steps = Math.max(1, this.steps);
        MeasurementOperator operator = this.operator == OperatorChoice.SUBSAMPLED_DCT
                ? new SubsampledDctOperator(shape, m, 7) : new GaussianOperator(m, shape.size(), 7);
        PrintWriter out = spec.commandLine().getOut();
        SplittableRandom random = new SplittableRandom(3);
        float[] z = GradcheckCommand.gaussian(random, batch * prior.latent(), zStd);

        try (ObjectiveEngine engine = EngineSetup.engine(cli.config(), threads)) {
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
                    spec.commandLine().getErr().println(CommandLines.qualifiedName(spec) + ": the loss at z is not finite (lower --z-std, now " + zStd
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
