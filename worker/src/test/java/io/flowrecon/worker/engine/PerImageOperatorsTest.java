package io.flowrecon.worker.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** The worker's largest default batch and more: where a ReduceSum's per-row loss differed from a lone row's. */
    private static final int BATCH = 8;
    private static SessionFactory factory;

    @BeforeAll
    static void openRuntime() {
        factory = SessionFactory.create(RuntimeConfig.cpu(1));
    }

    /** Three operators of one kind that differ in their data (seed, mask). */
    private static List<List<MeasurementOperator>> batches(ImageShape shape) {
        return batches(shape, 3);
    }

    /** {@code count} operators of each kind that differ in their data (seed, mask). */
    private static List<List<MeasurementOperator>> batches(ImageShape shape, int count) {
        List<MeasurementOperator> gaussians = new ArrayList<>();
        List<MeasurementOperator> masks = new ArrayList<>();
        List<MeasurementOperator> dcts = new ArrayList<>();
        for (long seed = 1; seed <= count; seed++) {
            gaussians.add(new GaussianOperator(30, shape.size(), 6 + seed));
            boolean[] observed = new boolean[shape.height() * shape.width()];
            SplittableRandom random = new SplittableRandom(seed);
            for (int p = 0; p < observed.length; p++) {
                observed[p] = random.nextDouble() < 0.6; // masks of one batch may observe different counts
            }
            observed[0] = true;
            masks.add(new MaskOperator(observed, shape));
            dcts.add(new SubsampledDctOperator(shape, 25, 8 + seed));
        }
        return List.of(gaussians, masks, dcts);
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

    /**
     * A job's loss and gradient do not depend on the batch it is solved in: each row of a batch of eight gives, to
     * the bit, what that row gives alone (with gamma > 0, so the latent energy counts too). Exact, because L-BFGS and
     * its line search turn any last-bit difference into a different answer.
     */
    @Test
    void aRowGetsTheSameLossAndGradientToTheBitAloneAndInABatch() {
        Prior prior = ToyPriors.convGenerator(3);
        ImageShape shape = prior.shape();
        int d = prior.latent();
        for (double gamma : new double[] {0, 0.1}) {
            for (List<MeasurementOperator> operators : batches(shape, BATCH)) {
                SplittableRandom random = new SplittableRandom(17);
                List<float[]> ys = new ArrayList<>();
                for (MeasurementOperator operator : operators) {
                    ys.add(ToyPriors.gaussian(random, operator.rows(), 1));
                }
                List<ObjectiveSession> lone = new ArrayList<>();
                List<BoundObjective> alone = new ArrayList<>();
                try (ObjectiveSession session = ObjectiveSession.open(factory, prior, PerImageOperators.of(operators, shape), BATCH,
                        gamma, AdjointBuilder.standard());
                     BoundObjective batched = session.bind(operators, ys)) {
                    for (int b = 0; b < BATCH; b++) {
                        List<MeasurementOperator> one = List.of(operators.get(b));
                        lone.add(ObjectiveSession.open(factory, prior, PerImageOperators.of(one, shape), 1, gamma,
                                AdjointBuilder.standard()));
                        alone.add(lone.get(b).bind(one, List.of(ys.get(b))));
                    }
                    // several latents: whether a sum's last bit differs depends on the values
                    for (int draw = 0; draw < 10; draw++) {
                        float[] z = ToyPriors.gaussian(random, BATCH * d, 1);
                        double[] batchLoss = new double[BATCH];
                        float[] batchGradient = new float[BATCH * d];
                        batched.evaluate(z, batchLoss, batchGradient);
                        for (int b = 0; b < BATCH; b++) {
                            double[] loss = new double[1];
                            float[] gradient = new float[d];
                            alone.get(b).evaluate(java.util.Arrays.copyOfRange(z, b * d, (b + 1) * d), loss, gradient);
                            String what = operators.get(b).describe() + ", gamma " + gamma + ", row " + b + ", draw " + draw;
                            assertEquals(batchLoss[b], loss[0], 0.0, what + ": loss");
                            assertArrayEquals(java.util.Arrays.copyOfRange(batchGradient, b * d, (b + 1) * d), gradient,
                                    what + ": gradient");
                        }
                    }
                } finally {
                    alone.forEach(BoundObjective::close);
                    lone.forEach(ObjectiveSession::close);
                }
            }
        }
    }
}
