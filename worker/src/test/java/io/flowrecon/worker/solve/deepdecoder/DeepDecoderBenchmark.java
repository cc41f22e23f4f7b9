package io.flowrecon.worker.solve.deepdecoder;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.operator.Measurements;
import io.flowrecon.shared.prior.DeepDecoderArchitecture;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.lasso.LassoDctSolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the Deep Decoder's PSNR along its Adam steps on CelebA test faces (32 x 32), against Lasso-DCT's,
 * for choosing its defaults. Prints the mean PSNR over the faces every {@code every} steps and the wall time of
 * one step relative to one Lasso solve. Arguments (key=value, all optional): faces=4 layers=4 compression=2.5
 * steps=3000 every=250 lr=0.01 std=1 problem=denoise|cs noise=0.1 ratio=0.1 data=../shared/data. Run after
 * {@code ./mvnw -o -q -pl worker -am test-compile}:
 * <pre>
 * ./mvnw -o -q -pl worker dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp worker/target/test-classes:worker/target/classes:$(cat /tmp/cp.txt) \
 *     io.flowrecon.worker.solve.deepdecoder.DeepDecoderBenchmark faces=4 compression=2.5
 * </pre>
 */
public final class DeepDecoderBenchmark {

    private DeepDecoderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        int faces = Integer.parseInt(a.getOrDefault("faces", "4"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "3000"));
        int every = Integer.parseInt(a.getOrDefault("every", "250"));
        DeepDecoderArchitecture arch = new DeepDecoderArchitecture(Integer.parseInt(a.getOrDefault("layers", "4")),
                Double.parseDouble(a.getOrDefault("compression", "2.5")), 128, 1);
        double lr = Double.parseDouble(a.getOrDefault("lr", "0.01"));
        double std = Double.parseDouble(a.getOrDefault("std", "1"));
        boolean denoise = a.getOrDefault("problem", "denoise").equals("denoise");
        Path data = Path.of(a.getOrDefault("data", System.getenv().getOrDefault("FLOWRECON_DATA", "../shared/data")));
        List<Image> truths = CelebaFaces.testFaces(data.resolve("celeba"), faces);
        var shape = truths.get(0).shape();
        System.out.printf(Locale.ROOT, "%s: k = %d, N = %d weights for n = %d%n", arch, arch.channels(shape),
                arch.parameterCount(shape), shape.size());
        int checkpoints = steps / every;
        double[] psnrAt = new double[checkpoints];
        double lassoSum = 0;
        double noisySum = 0;
        long ddNanos = 0;
        long lassoNanos = 0;
        try (ObjectiveEngine engine = new ObjectiveEngine(SessionFactory.create(RuntimeConfig.cpu(1)),
                AdjointBuilder.standard())) {
            DeepDecoderSolver solver = new DeepDecoderSolver(engine, arch);
            for (int f = 0; f < faces; f++) {
                float[] truth = truths.get(f).values();
                int m = (int) Math.round(Double.parseDouble(a.getOrDefault("ratio", "0.1")) * shape.size());
                double noise = Double.parseDouble(a.getOrDefault("noise", "0.1"));
                Problem problem = denoise ? new Problem.Denoising(new Problem.Noise.Gaussian(noise, 100 + f))
                        : new Problem.CompressiveSensing(m, Problem.SensingOperator.GAUSSIAN, 7 + f,
                        new Problem.Noise.GaussianNorm(0.1, 8 + f));
                Measurements y = Measurements.simulate(problem, truth, shape);
                if (denoise) {
                    noisySum += Psnr.compute(truth, y.image().values());
                }
                SolverSettings settings = new SolverSettings("adam", steps, lr, 0, 0, 1,
                        new SolverSettings.Init.RandomNormal(std, f));
                long t0 = System.nanoTime();
                solver.solve(y.operator(), y.values(), shape, settings, (iteration, loss, image) -> {
                    if (iteration % every == 0) {
                        psnrAt[iteration / every - 1] += Psnr.compute(truth, image.get());
                    }
                    return true;
                });
                long t1 = System.nanoTime();
                Reconstruction lasso = new LassoDctSolver().solve(y.operator(), y.values(), shape,
                        SolverSettings.defaultsFor(ModelKinds.LASSO_DCT), (i, l, im) -> true);
                long t2 = System.nanoTime();
                lassoSum += Psnr.compute(truth, lasso.image());
                ddNanos += t1 - t0;
                lassoNanos += t2 - t1;
            }
        }
        for (int c = 0; c < checkpoints; c++) {
            System.out.printf(Locale.ROOT, "steps %5d: deep decoder %.2f dB%n", (c + 1) * every, psnrAt[c] / faces);
        }
        System.out.printf(Locale.ROOT, "lasso-dct %.2f dB; noisy %.2f dB; deep decoder solve / lasso solve = %.1f "
                + "(%.2f ms per step)%n", lassoSum / faces, noisySum / faces, ddNanos / (double) lassoNanos,
                ddNanos / 1e6 / faces / steps);
    }
}
