package io.flowrecon.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.SubsampledDctOperator;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObjectiveGraphTest {

    private static SessionFactory factory;

    @BeforeAll
    static void openRuntime() {
        factory = SessionFactory.create(RuntimeConfig.cpu(1));
    }

    @AfterAll
    static void nothingToClose() {
        factory = null;
    }

    static List<MeasurementOperator> operators(ImageShape shape) {
        boolean[] observed = new boolean[shape.height() * shape.width()];
        SplittableRandom random = new SplittableRandom(5);
        for (int p = 0; p < observed.length; p++) {
            observed[p] = random.nextDouble() < 0.6;
        }
        observed[0] = true;
        return List.of(new IdentityOperator(shape.size()), new GaussianOperator(20, shape.size(), 7),
                new MaskOperator(observed, shape), new SubsampledDctOperator(shape, 25, 9));
    }

    @Test
    void operatorNodesComputeWhatTheJavaOperatorsCompute() {
        ImageShape shape = new ImageShape(2, 4, 6); // H != W catches a transposed DCT
        Prior prior = ToyPriors.reshapeGenerator(shape);
        for (MeasurementOperator operator : operators(shape)) {
            SplittableRandom random = new SplittableRandom(11);
            float[] x = ToyPriors.gaussian(random, shape.size(), 1);
            float[] y = ToyPriors.gaussian(random, operator.rows(), 1);
            float[] ax = new float[operator.rows()];
            operator.apply(x, ax);
            double expected = 0;
            for (int k = 0; k < ax.length; k++) {
                expected += (ax[k] - y[k]) * (double) (ax[k] - y[k]);
            }
            try (ObjectiveSession session = ObjectiveSession.open(factory, prior, OperatorGraph.of(operator, shape), 1, 0,
                    AdjointBuilder.standard());
                 BoundObjective objective = session.bind(new float[][] {y})) {
                double actual = objective.images(x).measurementLosses()[0];
                // float32 sums of ~50 products of O(1) values: relative 1e-5 is a few hundred ulps.
                assertEquals(expected, actual, 1e-5 * expected, operator.describe());
            }
        }
    }

    @Test
    void gradientMatchesCentralDifferencesOnRandomDirectionsForEveryOperator() {
        Prior prior = ToyPriors.convGenerator(3);
        ImageShape shape = prior.shape();
        for (MeasurementOperator operator : operators(shape)) {
            for (double gamma : new double[] {0, 0.1}) {
                SplittableRandom random = new SplittableRandom(13);
                float[] y = ToyPriors.gaussian(random, operator.rows(), 0.5);
                try (ObjectiveSession session = ObjectiveSession.open(factory, prior, OperatorGraph.of(operator, shape), 2,
                        gamma, AdjointBuilder.standard());
                     BoundObjective objective = session.bind(new float[][] {y, y})) {
                    float[] z = ToyPriors.gaussian(random, 2 * prior.latent(), 1);
                    double error = GradientCheck.worstRelativeError(objective, z, 3, random);
                    // float32 graph: central differences are good to ~1e-3 relative at the best h; 1e-2 leaves margin.
                    assertTrue(error < 1e-2, operator.describe() + ", gamma " + gamma + ": relative error " + error);
                }
            }
        }
    }

    @Test
    void eachImageOfTheBatchGetsOnlyItsOwnGradient() {
        Prior prior = ToyPriors.convGenerator(4);
        MeasurementOperator operator = new GaussianOperator(15, prior.shape().size(), 2);
        SplittableRandom random = new SplittableRandom(17);
        float[] y0 = ToyPriors.gaussian(random, 15, 0.5);
        float[] y1 = ToyPriors.gaussian(random, 15, 0.5);
        try (ObjectiveSession session = ObjectiveSession.open(factory, prior, OperatorGraph.of(operator, prior.shape()), 2, 0,
                AdjointBuilder.standard());
             BoundObjective objective = session.bind(new float[][] {y0, y1})) {
            int latent = prior.latent();
            float[] z = ToyPriors.gaussian(random, 2 * latent, 1);
            double[] losses = new double[2];
            float[] gradients = new float[2 * latent];
            objective.evaluate(z, losses, gradients);
            float[] moved = z.clone();
            for (int i = latent; i < 2 * latent; i++) {
                moved[i] += 0.5f; // change image 1 only
            }
            double[] losses2 = new double[2];
            float[] gradients2 = new float[2 * latent];
            objective.evaluate(moved, losses2, gradients2);
            assertEquals(losses[0], losses2[0], 0.0, "image 0's loss must not see image 1");
            for (int i = 0; i < latent; i++) {
                assertEquals(gradients[i], gradients2[i], 0.0f, "image 0's gradient must not see image 1");
            }
            assertTrue(Math.abs(losses[1] - losses2[1]) > 1e-6, "image 1's loss moved");
        }
    }
}
