package io.flowrecon.worker.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LbfgsTest {

    @Test
    void rosenbrockWithStrongWolfeReachesItsMinimum() {
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(1).withStrongWolfe(true).withMaxIter(100),
                TestObjectives.rosenbrock(1), new float[] {-1.2f, 1f});
        StepReport report = null;
        for (int step = 0; step < 5; step++) {
            report = lbfgs.step();
        }
        float[] z = lbfgs.latents();
        // float32 iterates in a valley of curvature ratio ~2500: 1e-3 is a few hundred ulps of 1 squared away.
        assertEquals(1.0, z[0], 1e-3);
        assertEquals(1.0, z[1], 2e-3);
        assertTrue(report.latestLosses()[0] < 1e-6, "loss " + report.latestLosses()[0]);
    }

    @Test
    void aMoveIntoANonFiniteRegionIsHalvedBackInsteadOfEndingTheSolve() {
        // f(x) = 0.5 (x - 2.5)^2 for x < 3, NaN beyond (as a flow prior's reverse pass overflows far from its
        // data). With lr 10 the first move goes from 0 to 10: torch would stop on NaN; halving the move twice
        // lands on x = 2.5 exactly (t = 4 -> 2 -> 1, x = t * 2.5).
        BatchObjective cliff = TestObjectives.single(1, (latents, losses, gradients) -> {
            float x = latents[0];
            losses[0] = x < 3 ? 0.5 * (x - 2.5) * (x - 2.5) : Double.NaN;
            gradients[0] = x < 3 ? x - 2.5f : Float.NaN;
        });
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(10), cliff, new float[] {0f});

        StepReport report = lbfgs.step();

        assertEquals(2.5, lbfgs.latents()[0], 1e-6);
        assertTrue(report.latestLosses()[0] < 1e-10, "loss " + report.latestLosses()[0]);
        assertTrue(report.stopReasons()[0] != StopReason.NON_FINITE, "stopped on " + report.stopReasons()[0]);
    }

    @Test
    void whenHalvingRunsOutTheImageRestartsFromItsLastFinitePointWithAFreshMemory() {
        // f(x, y) = 0.5 (x - 3)^2 + 5 (y + 2)^2, but the evaluations 3 .. 3 + MAX_NON_FINITE_BACKTRACKS (the move
        // after the second point and every halving of it) come back NaN, wherever they are: halving cannot help,
        // so torch's rule would stop there. The image must go back to the second point and still reach the minimum.
        int[] calls = {0};
        int firstBad = 3;
        BatchObjective flaky = TestObjectives.single(2, (latents, losses, gradients) -> {
            calls[0]++;
            boolean bad = calls[0] >= firstBad && calls[0] <= firstBad + LbfgsImage.MAX_NON_FINITE_BACKTRACKS;
            float gx = latents[0] - 3;
            float gy = 10 * (latents[1] + 2);
            losses[0] = bad ? Double.NaN : 0.5 * gx * gx + 0.05 * gy * gy;
            gradients[0] = bad ? Float.NaN : gx;
            gradients[1] = bad ? Float.NaN : gy;
        });
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(1), flaky, new float[] {0f, 0f});

        // A solver ends an image on NON_FINITE (a final reason), so the first step must not report it.
        StepReport first = lbfgs.step();
        assertTrue(first.stopReasons()[0] != StopReason.NON_FINITE, "stopped on " + first.stopReasons()[0]);
        assertTrue(calls[0] > firstBad + LbfgsImage.MAX_NON_FINITE_BACKTRACKS, "the step went on: " + calls[0]);
        // the NaN evaluations count against the first step's max_eval (25), as torch counts every closure call
        for (int step = 0; step < 2; step++) {
            lbfgs.step();
        }
        assertEquals(3.0, lbfgs.latents()[0], 1e-4);
        assertEquals(-2.0, lbfgs.latents()[1], 1e-4);
    }

    @Test
    void aDirectionThatIsNeverFiniteEndsAtTheLastFinitePoint() {
        // finite only where y <= 0 (and there f = 0.5 |x - (3, 2)|^2, whose gradient points into y > 0 from the
        // origin): every move from the start lands in the NaN half-plane, through every halving and every
        // restart, so the image stops non-finite, reporting the start and its finite loss, not a point 1e-12
        // along a useless direction.
        BatchObjective halfPlane = TestObjectives.single(2, (latents, losses, gradients) -> {
            boolean finite = latents[1] <= 0;
            float gx = latents[0] - 3;
            float gy = latents[1] - 2;
            losses[0] = finite ? 0.5 * (gx * gx + gy * gy) : Double.NaN;
            gradients[0] = finite ? gx : Float.NaN;
            gradients[1] = finite ? gy : Float.NaN;
        });
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(1), halfPlane, new float[] {0f, 0f});

        StepReport report = lbfgs.step();

        assertEquals(StopReason.NON_FINITE, report.stopReasons()[0]);
        assertArrayEquals(new float[] {0f, 0f}, lbfgs.latents());
        assertEquals(6.5, report.latestLosses()[0], 1e-12);
    }

    @Test
    void illConditionedQuadraticReachesItsMinimumWithAndWithoutLineSearch() {
        int dimension = 30;
        float[] centre = randomVector(dimension, 3);
        for (boolean lineSearch : new boolean[] {true, false}) {
            Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(1).withStrongWolfe(lineSearch),
                    TestObjectives.quadratic(dimension, 1e4, centre), new float[dimension]);
            for (int step = 0; step < 30; step++) {
                lbfgs.step();
            }
            float[] z = lbfgs.latents();
            // Condition number 1e4 in float32: the minimiser is determined to about 1e4 * 6e-8 relative.
            for (int i = 0; i < dimension; i++) {
                assertEquals(centre[i], z[i], 2e-3, "coordinate " + i + " with line search " + lineSearch);
            }
        }
    }

    @Test
    void firstStepFollowsTorchScaledGradientStepAndSkipsTheFinalEvaluation() {
        float[] centre = {1f, -2f, 0.5f};
        BatchObjective objective = TestObjectives.quadratic(3, 10, centre);
        float[] z0 = {0.3f, 0.1f, -0.4f};
        double[] loss = new double[1];
        float[] g0 = new float[3];
        objective.evaluate(z0, loss, g0);
        double l1 = Math.abs(g0[0]) + Math.abs(g0[1]) + Math.abs(g0[2]);
        double lr = 0.1;
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(lr).withMaxIter(1), objective, z0);

        StepReport report = lbfgs.step();

        // torch: t = min(1, 1/||g||_1) * lr on the first iteration ever, then x += t * (-g); no evaluation after.
        double t = Math.min(1, 1 / l1) * lr;
        float[] z = lbfgs.latents();
        for (int i = 0; i < 3; i++) {
            assertEquals(z0[i] - t * g0[i], z[i], 1e-6, "coordinate " + i);
        }
        assertEquals(1, report.evaluations()[0]);
        assertEquals(StopReason.MAX_ITERATIONS, report.stopReasons()[0]);
        assertEquals(loss[0], report.startLosses()[0], 1e-12);
    }

    @Test
    void paperSettingsUseTwentyEvaluationsPerStep() {
        int dimension = 8;
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.paper(), TestObjectives.quadratic(dimension, 100, randomVector(dimension, 5)),
                new float[dimension]);
        StepReport report = lbfgs.step();
        // One initial evaluation plus one after each of the first 19 moves; the 20th move is not evaluated.
        assertEquals(20, report.evaluations()[0]);
        assertEquals(StopReason.MAX_ITERATIONS, report.stopReasons()[0]);
        assertEquals(20, lbfgs.batchEvaluations());
    }

    @Test
    void batchMembersEvolveExactlyAsWhenSolvedAlone() {
        int dimension = 12;
        float[] centres = randomVector(3 * dimension, 11);
        float[] starts = randomVector(3 * dimension, 12);
        LbfgsSettings settings = LbfgsSettings.torchDefaults(1).withStrongWolfe(true);
        Lbfgs batched = new Lbfgs(settings, TestObjectives.quadratic(dimension, 1e3, centres), starts);
        for (int step = 0; step < 3; step++) {
            batched.step();
        }
        float[] together = batched.latents();
        for (int b = 0; b < 3; b++) {
            float[] centre = slice(centres, b, dimension);
            Lbfgs alone = new Lbfgs(settings, TestObjectives.quadratic(dimension, 1e3, centre), slice(starts, b, dimension));
            for (int step = 0; step < 3; step++) {
                alone.step();
            }
            // Same arithmetic in the same order: bit-identical, whatever the other images asked for.
            assertArrayEquals(alone.latents(), slice(together, b, dimension), "image " + b);
        }
    }

    @Test
    void stopReasonsAreReportedPerImage() {
        int dimension = 4;
        float[] centres = randomVector(2 * dimension, 21);
        float[] starts = randomVector(2 * dimension, 22);
        System.arraycopy(centres, dimension, starts, dimension, dimension); // image 1 starts at its minimum
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.paper(), TestObjectives.quadratic(dimension, 10, centres), starts);

        StepReport report = lbfgs.step();

        assertEquals(StopReason.MAX_ITERATIONS, report.stopReasons()[0]);
        assertEquals(StopReason.TOLERANCE_GRAD, report.stopReasons()[1]);
        assertEquals(1, report.evaluations()[1]);
        assertArrayEquals(slice(starts, 1, dimension), slice(lbfgs.latents(), 1, dimension));
    }

    @Test
    void nonFiniteLossStopsOnlyThatImage() {
        BatchObjective base = TestObjectives.quadratic(2, 10, new float[] {1, 1, 1, 1});
        BatchObjective poisoned = new BatchObjective() {
            public int batch() {
                return 2;
            }

            public int dimension() {
                return 2;
            }

            public void evaluate(float[] z, double[] losses, float[] gradients) {
                base.evaluate(z, losses, gradients);
                losses[1] = Double.NaN;
            }
        };
        StepReport report = new Lbfgs(LbfgsSettings.paper(), poisoned, new float[4]).step();
        assertEquals(StopReason.MAX_ITERATIONS, report.stopReasons()[0]);
        assertEquals(StopReason.NON_FINITE, report.stopReasons()[1]);
    }

    @Test
    void cubicInterpolationFindsTheMinimumOfACubic() {
        // f(x) = (x - 2)^2 (a quadratic is a cubic): f(0) = 4, f'(0) = -4; f(3) = 1, f'(3) = 2 -> minimum at 2.
        assertEquals(2.0, StrongWolfe.cubicMinimum(0, 4, -4, 3, 1, 2, 0, 3), 1e-12);
        // Clamped to the bounds when the minimiser lies outside.
        assertEquals(1.5, StrongWolfe.cubicMinimum(0, 4, -4, 3, 1, 2, 0, 1.5), 1e-12);
    }

    static float[] randomVector(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    static float[] slice(float[] batch, int b, int dimension) {
        float[] out = new float[dimension];
        System.arraycopy(batch, b * dimension, out, 0, dimension);
        return out;
    }
}
