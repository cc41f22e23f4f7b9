package io.flowrecon.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.SubsampledDctOperator;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PerImageOperatorsTest {

    private static SessionFactory factory;

    @BeforeAll
    static void openRuntime() {
        factory = SessionFactory.create(RuntimeConfig.cpu(1));
    }

    /** Three operators of one kind that differ in their data (seed, mask). */
    private static List<List<MeasurementOperator>> batches(ImageShape shape) {
        List<MeasurementOperator> masks = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            boolean[] observed = new boolean[shape.height() * shape.width()];
            SplittableRandom random = new SplittableRandom(seed);
            for (int p = 0; p < observed.length; p++) {
                observed[p] = random.nextDouble() < 0.6; // masks of one batch may observe different counts
            }
            observed[0] = true;
            masks.add(new MaskOperator(observed, shape));
        }
        return List.of(
                List.of(new GaussianOperator(20, shape.size(), 7), new GaussianOperator(20, shape.size(), 8),
                        new GaussianOperator(20, shape.size(), 9)),
                masks,
                List.of(new SubsampledDctOperator(shape, 25, 9), new SubsampledDctOperator(shape, 25, 10),
                        new SubsampledDctOperator(shape, 25, 11)));
    }

    @Test
    void eachImageIsMeasuredThroughItsOwnOperator() {
        ImageShape shape = new ImageShape(2, 4, 6); // H != W catches a transposed DCT
        Prior prior = ToyPriors.reshapeGenerator(shape);
        for (List<MeasurementOperator> operators : batches(shape)) {
            SplittableRandom random = new SplittableRandom(11);
            int n = shape.size();
            float[] x = ToyPriors.gaussian(random, 3 * n, 1);
            List<float[]> ys = new ArrayList<>();
            double[] expected = new double[3];
            for (int b = 0; b < 3; b++) {
                MeasurementOperator operator = operators.get(b);
                float[] y = ToyPriors.gaussian(random, operator.rows(), 1);
                float[] xb = new float[n];
                System.arraycopy(x, b * n, xb, 0, n);
                float[] ax = new float[operator.rows()];
                operator.apply(xb, ax);
                for (int k = 0; k < ax.length; k++) {
                    expected[b] += (ax[k] - y[k]) * (double) (ax[k] - y[k]);
                }
                ys.add(y);
            }
            try (ObjectiveSession session = ObjectiveSession.open(factory, prior, PerImageOperators.of(operators, shape), 3, 0,
                    AdjointBuilder.standard());
                 BoundObjective objective = session.bind(operators, ys)) {
                double[] actual = objective.images(x).measurementLosses();
                for (int b = 0; b < 3; b++) {
                    // float32 sums of ~50 products of O(1) values: relative 1e-5 is a few hundred ulps.
                    assertEquals(expected[b], actual[b], 1e-5 * expected[b], operators.get(b).describe());
                }
            }
        }
    }

    @Test
    void perImageGradientsMatchCentralDifferences() {
        Prior prior = ToyPriors.convGenerator(3);
        ImageShape shape = prior.shape();
        for (List<MeasurementOperator> operators : batches(shape)) {
            SplittableRandom random = new SplittableRandom(13);
            List<float[]> ys = new ArrayList<>();
            for (MeasurementOperator operator : operators) {
                ys.add(ToyPriors.gaussian(random, operator.rows(), 0.5));
            }
            try (ObjectiveSession session = ObjectiveSession.open(factory, prior, PerImageOperators.of(operators, shape), 3, 0,
                    AdjointBuilder.standard());
                 BoundObjective objective = session.bind(operators, ys)) {
                float[] z = ToyPriors.gaussian(random, 3 * prior.latent(), 1);
                double error = GradientCheck.worstRelativeError(objective, z, 3, random);
                // float32 graph: central differences are good to ~1e-3 relative at the best h; 1e-2 leaves margin.
                assertTrue(error < 1e-2, operators.get(0).describe() + ": relative error " + error);
            }
        }
    }
}
