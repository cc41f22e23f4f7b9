package io.flowrecon.worker.solve.lasso;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.Measurements;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;

import java.util.Arrays;

/**
 * Not a test: times the paper-sized Lasso-DCT compressive-sensing solve (64 x 64 x 3, Gaussian
 * m = 1500, 500 FISTA iterations) and the operator products it is made of, and prints the ratio
 * of the solve to its products so the numbers mean something on a noisy shared machine.
 * Run after {@code ./mvnw -o -q -pl worker test-compile}:
 * <pre>
 * ./mvnw -o -q -pl worker dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp worker/target/test-classes:worker/target/classes:$(cat /tmp/cp.txt) \
 *     io.flowrecon.worker.solve.lasso.LassoBenchmark
 * </pre>
 */
public final class LassoBenchmark {

    private LassoBenchmark() {
    }

    public static void main(String[] args) {
        ImageShape shape = new ImageShape(3, 64, 64);
        int m = 1500;
        float[] truth = LassoDctSolverTest.smooth(shape);
        Problem problem = new Problem.CompressiveSensing(m, Problem.SensingOperator.GAUSSIAN, 7,
                new Problem.Noise.GaussianNorm(0.1, 8));

        long start = System.nanoTime();
        Measurements measured = Measurements.simulate(problem, truth, shape);
        double generateMillis = (System.nanoTime() - start) / 1e6;
        GaussianOperator a = (GaussianOperator) measured.operator();

        float[] x = truth.clone();
        float[] y = new float[m];
        double[] applyMillis = new double[30];
        double[] adjointMillis = new double[30];
        for (int rep = 0; rep < 30; rep++) {
            long t0 = System.nanoTime();
            a.apply(x, y);
            long t1 = System.nanoTime();
            a.adjoint(y, x);
            long t2 = System.nanoTime();
            applyMillis[rep] = (t1 - t0) / 1e6;
            adjointMillis[rep] = (t2 - t1) / 1e6;
        }
        double apply = median(Arrays.copyOfRange(applyMillis, 10, 30));
        double adjoint = median(Arrays.copyOfRange(adjointMillis, 10, 30));

        LassoDctSolver solver = new LassoDctSolver();
        var settings = LassoDctSolverTest.settings(500, 0.01);
        solver.solve(a, measured.values(), shape, LassoDctSolverTest.settings(50, 0.01), ProgressListener.NONE); // warm-up
        start = System.nanoTime();
        Reconstruction r = solver.solve(a, measured.values(), shape, settings, ProgressListener.NONE);
        double solveMillis = (System.nanoTime() - start) / 1e6;

        System.out.printf("operator %s generated in %.0f ms%n", a.describe(), generateMillis);
        System.out.printf("apply (A x) median %.2f ms, adjoint (A^T y) median %.2f ms%n", apply, adjoint);
        System.out.printf("solve: %d iterations (%s), %d A/A^T pairs, %.0f ms wall, %.2f ms per iteration%n",
                r.iterations(), r.stopReason(), r.evaluations(), solveMillis, solveMillis / r.iterations());
        System.out.printf("ratio solve / (pairs x (apply + adjoint)) = %.2f%n",
                solveMillis / (r.evaluations() * (apply + adjoint)));
        System.out.printf("PSNR %.2f dB, ||w|| %.3f%n", Psnr.compute(truth, r.image()), r.latentNorm());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
