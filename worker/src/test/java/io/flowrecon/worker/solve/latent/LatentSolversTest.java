package io.flowrecon.worker.solve.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.engine.ToyPriors;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.BatchJob;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LatentSolversTest {

    private static ObjectiveEngine engine;
    private static Prior prior;

    @BeforeAll
    static void openEngine() {
        engine = new ObjectiveEngine(SessionFactory.create(RuntimeConfig.cpu(1)), AdjointBuilder.standard());
        prior = ToyPriors.convGenerator(3);
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    /** A truth in the prior's range, x* = G(z*), and its measurements. */
    private static float[][] truthAndMeasurements(MeasurementOperator operator, long seed) {
        float[] zStar = ToyPriors.gaussian(new SplittableRandom(seed), prior.latent(), 0.7);
        float[] truth;
        try (var lease = engine.session(prior, OperatorGraph.of(new IdentityOperator(prior.shape().size()), prior.shape()), 1, 0);
             BoundObjective objective = lease.value().bind(new float[][] {new float[prior.shape().size()]})) {
            truth = objective.images(zStar).image(0);
        }
        float[] y = new float[operator.rows()];
        operator.apply(truth, y);
        return new float[][] {truth, y};
    }

    private static double relativeError(float[] truth, float[] estimate) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < truth.length; i++) {
            num += (truth[i] - estimate[i]) * (double) (truth[i] - estimate[i]);
            den += truth[i] * (double) truth[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void glowSolverWithThePaperSettingsRecoversAnImageInTheRangeFromGaussianMeasurements() {
        MeasurementOperator operator = new GaussianOperator(40, prior.shape().size(), 21);
        float[][] data = truthAndMeasurements(operator, 22);
        List<Double> losses = new ArrayList<>();
        ProgressListener progress = (iteration, loss, image) -> losses.add(loss);

        Reconstruction result = new GlowSolver(engine, prior).solve(operator, data[1], prior.shape(),
                SolverSettings.defaultsFor(ModelKinds.GLOW).withLineSearch(SolverSettings.NO_LINE_SEARCH), progress);

        assertEquals(30, losses.size(), "one progress call per outer step");
        assertEquals(30, result.iterations());
        assertEquals("max-iterations", result.stopReason());
        assertTrue(losses.get(29) < 1e-3 * losses.get(0), "loss fell from " + losses.get(0) + " to " + losses.get(29));
        // 40 measurements of a 6-dimensional range: the truth is identifiable; 1e-2 leaves room for the fixed-step L-BFGS.
        double error = relativeError(data[0], result.image());
        assertTrue(error < 1e-2, "relative error " + error);
        // At most one evaluation per iteration except each step's last, plus the final image; steps end early
        // once the loss stops changing by more than torch's tolerance_change.
        assertTrue(result.evaluations() > 30 && result.evaluations() <= 30 * 20 + 1, "evaluations " + result.evaluations());
    }

    @Test
    void glowSolverWithItsDefaultStrongWolfeSearchRecoversTheSameImage() {
        MeasurementOperator operator = new GaussianOperator(40, prior.shape().size(), 21);
        float[][] data = truthAndMeasurements(operator, 22);
        List<Double> losses = new ArrayList<>();
        ProgressListener progress = (iteration, loss, image) -> losses.add(loss);

        SolverSettings defaults = SolverSettings.defaultsFor(ModelKinds.GLOW);
        assertEquals(SolverSettings.STRONG_WOLFE, defaults.lineSearch());
        Reconstruction result = new GlowSolver(engine, prior).solve(operator, data[1], prior.shape(), defaults, progress);

        assertTrue(result.iterations() >= 1 && result.iterations() <= 30, "steps " + result.iterations());
        assertEquals(result.iterations(), losses.size(), "one progress call per outer step");
        assertTrue(losses.get(losses.size() - 1) < 1e-3 * losses.get(0),
                "loss fell from " + losses.get(0) + " to " + losses.get(losses.size() - 1));
        // The tolerance of the fixed-step test: the search only chooses the step lengths.
        double error = relativeError(data[0], result.image());
        assertTrue(error < 1e-2, "relative error " + error);
        // torch's max_eval = 5/4 of the 20 iterations per step, plus the final image
        assertTrue(result.evaluations() <= result.iterations() * 25 + 1, "evaluations " + result.evaluations());
    }

    @Test
    void aBatchOfJobsSharingTheOperatorIsSolvedTogetherAndEachImageRecovered() {
        MeasurementOperator operator = new GaussianOperator(40, prior.shape().size(), 21);
        float[][] first = truthAndMeasurements(operator, 41);
        float[][] second = truthAndMeasurements(operator, 42);

        SolverSettings settings = SolverSettings.defaultsFor(ModelKinds.GLOW);
        List<Reconstruction> results = new GlowSolver(engine, prior).solveBatch(List.of(
                new BatchJob(operator, first[1], settings, ProgressListener.NONE),
                new BatchJob(operator, second[1], settings, ProgressListener.NONE)), prior.shape());

        assertEquals(2, results.size());
        // Same tolerance as the single-image recovery: each image keeps its own L-BFGS state.
        assertTrue(relativeError(first[0], results.get(0).image()) < 1e-2, "image 0");
        assertTrue(relativeError(second[0], results.get(1).image()) < 1e-2, "image 1");
        assertTrue(relativeError(first[0], second[0]) > 0.05, "the two truths differ, so a swap would be caught");
    }

    @Test
    void cancellationStopsAtTheStepTheListenerRefuses() {
        MeasurementOperator operator = new IdentityOperator(prior.shape().size());
        float[][] data = truthAndMeasurements(operator, 23);
        Reconstruction result = new GlowSolver(engine, prior).solve(operator, data[1], prior.shape(),
                SolverSettings.defaultsFor(ModelKinds.GLOW), (iteration, loss, image) -> {
                    assertEquals(prior.shape().size(), image.get().length);
                    return iteration < 3;
                });
        assertEquals("cancelled", result.stopReason());
        assertEquals(3, result.iterations());
    }

    @Test
    void ganSolverKeepsTheRestartWithTheSmallestMeasurementLoss() {
        MeasurementOperator operator = new GaussianOperator(30, prior.shape().size(), 31);
        float[][] data = truthAndMeasurements(operator, 32);
        SolverSettings one = new SolverSettings("adam", 60, 0.05, 0, 0, 1, new SolverSettings.Init.RandomNormal(1, 5));
        SolverSettings four = new SolverSettings("adam", 60, 0.05, 0, 0, 4, new SolverSettings.Init.RandomNormal(1, 5));

        Reconstruction single = new GanSolver(engine, prior).solve(operator, data[1], prior.shape(), one, ProgressListener.NONE);
        Reconstruction best = new GanSolver(engine, prior).solve(operator, data[1], prior.shape(), four, ProgressListener.NONE);

        // Restart 0 of the batch starts from the same draws as the single run and evolves identically (images do
        // not interact), so the best of four can only be as good or better.
        assertTrue(measurementLoss(operator, best.image(), data[1]) <= measurementLoss(operator, single.image(), data[1]) + 1e-6);
    }

    private static double measurementLoss(MeasurementOperator operator, float[] image, float[] y) {
        float[] ax = new float[operator.rows()];
        operator.apply(image, ax);
        double sum = 0;
        for (int k = 0; k < ax.length; k++) {
            sum += (ax[k] - y[k]) * (double) (ax[k] - y[k]);
        }
        return sum;
    }
}
