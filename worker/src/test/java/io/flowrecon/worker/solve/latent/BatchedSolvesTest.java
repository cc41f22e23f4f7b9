package io.flowrecon.worker.solve.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.metrics.Psnr;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jobs solved together give what they give alone, each with its own operator, budget and cancellation. */
class BatchedSolvesTest {

    private static final int JOBS = 8;
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

    /** A truth x* = G(z*) in the prior's range. */
    private static float[] truth(long seed) {
        float[] zStar = ToyPriors.gaussian(new SplittableRandom(seed), prior.latent(), 0.7);
        try (var lease = engine.session(prior, OperatorGraph.of(new IdentityOperator(prior.shape().size()), prior.shape()), 1, 0);
             BoundObjective objective = lease.value().bind(new float[][] {new float[prior.shape().size()]})) {
            return objective.images(zStar).image(0);
        }
    }

    /** y = A x + noise, noise std 0.05 per measurement, so that no job reaches an exact (PSNR-infinite) fit. */
    private static float[] measure(MeasurementOperator operator, float[] truth, long seed) {
        float[] y = new float[operator.rows()];
        operator.apply(truth, y);
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < y.length; k++) {
            y[k] += (float) (0.05 * random.nextGaussian());
        }
        return y;
    }

    /** Glow's default (a strong-Wolfe search) and the paper's fixed step. */
    @ParameterizedTest
    @ValueSource(strings = {SolverSettings.STRONG_WOLFE, SolverSettings.NO_LINE_SEARCH})
    void eachJobOfABatchOfEightGetsTheImageItGetsAlone(String lineSearch) {
        SolverSettings paper = SolverSettings.defaultsFor(ModelKinds.GLOW).withLineSearch(lineSearch);
        List<float[]> truths = new ArrayList<>();
        List<BatchJob> jobs = new ArrayList<>();
        List<int[]> calls = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            float[] truth = truth(100 + j);
            // each job its own operator seed and noise; job 5 a shorter budget and another step length
            MeasurementOperator operator = new GaussianOperator(30, prior.shape().size(), 200 + j);
            SolverSettings settings = j == 5
                    ? new SolverSettings("lbfgs", 7, 0.05, 0, 0, 1, new SolverSettings.Init.Zero(), lineSearch) : paper;
            int[] count = new int[1];
            calls.add(count);
            int cancelAt = j == 2 ? 4 : Integer.MAX_VALUE; // job 2 is cancelled at its 4th step
            ProgressListener progress = (iteration, loss, image) -> ++count[0] < cancelAt;
            truths.add(truth);
            jobs.add(new BatchJob(operator, measure(operator, truth, 300 + j), settings, progress));
        }
        GlowSolver solver = new GlowSolver(engine, prior);

        List<Reconstruction> batched = solver.solveBatch(jobs, prior.shape());

        for (int j = 0; j < JOBS; j++) {
            int[] aloneCalls = new int[1];
            int cancelAt = j == 2 ? 4 : Integer.MAX_VALUE;
            BatchJob job = jobs.get(j);
            Reconstruction alone = solver.solve(job.operator(), job.measurements(), prior.shape(), job.settings(),
                    (iteration, loss, image) -> ++aloneCalls[0] < cancelAt);
            Reconstruction inBatch = batched.get(j);
            double psnrAlone = Psnr.compute(truths.get(j), alone.image());
            double psnrBatched = Psnr.compute(truths.get(j), inBatch.image());
            // The bound, 0.1 dB; in fact every operator is a per-image input alone and batched, whose arithmetic
            // does not depend on the batch, so the images are the same to the bit (L-BFGS would amplify any last-bit
            // difference into tenths of a dB and more).
            assertEquals(psnrAlone, psnrBatched, 0.1, "job " + j + ": PSNR alone " + psnrAlone + " dB, batched " + psnrBatched);
            assertArrayEquals(alone.image(), inBatch.image(), "job " + j + ": the same image, bit for bit");
            assertEquals(alone.iterations(), inBatch.iterations(), "job " + j + " steps");
            assertEquals(alone.stopReason(), inBatch.stopReason(), "job " + j + " stop reason");
            assertEquals(aloneCalls[0], calls.get(j)[0], "job " + j + " progress calls");
        }
        assertEquals("cancelled", batched.get(2).stopReason());
        assertEquals(4, batched.get(2).iterations());
        assertTrue(batched.get(5).iterations() == 7 || batched.get(5).stopReason().equals("tolerance"),
                "job 5 stops at its own budget of 7 steps unless it converged first: " + batched.get(5).iterations());
        for (int j : new int[] {0, 1, 3, 4, 6, 7}) {
            assertTrue(batched.get(j).stopReason().equals("max-iterations") && batched.get(j).iterations() == 30
                    || batched.get(j).stopReason().equals("tolerance") && batched.get(j).iterations() < 30,
                    "job " + j + " ran its own budget or converged: " + batched.get(j).stopReason());
        }
        assertTrue(Psnr.compute(truths.get(0), batched.get(0).image()) > 20, "the noisy problem is still solved");
    }

    @Test
    void ganRestartsOfSeveralJobsAreRowsOfOneBatchAndEachJobKeepsItsBest() {
        SolverSettings threeRestarts = new SolverSettings("adam", 40, 0.05, 0, 0, 3, new SolverSettings.Init.RandomNormal(1, 5));
        SolverSettings twoRestarts = new SolverSettings("adam", 40, 0.05, 0, 0, 2, new SolverSettings.Init.RandomNormal(1, 9));
        GanSolver solver = new GanSolver(engine, prior);
        List<BatchJob> jobs = new ArrayList<>();
        List<float[]> truths = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            float[] truth = truth(400 + j);
            MeasurementOperator operator = new GaussianOperator(30, prior.shape().size(), 500 + j);
            truths.add(truth);
            jobs.add(new BatchJob(operator, measure(operator, truth, 600 + j), j == 1 ? twoRestarts : threeRestarts,
                    ProgressListener.NONE));
        }

        List<Reconstruction> batched = solver.solveBatch(jobs, prior.shape());

        for (int j = 0; j < 3; j++) {
            BatchJob job = jobs.get(j);
            Reconstruction alone = solver.solve(job.operator(), job.measurements(), prior.shape(), job.settings(),
                    ProgressListener.NONE);
            double psnrAlone = Psnr.compute(truths.get(j), alone.image());
            double psnrBatched = Psnr.compute(truths.get(j), batched.get(j).image());
            // Same restarts from the job's own seed, same Adam arithmetic, per-image operators alone and batched.
            assertEquals(psnrAlone, psnrBatched, 0.1, "job " + j);
            assertArrayEquals(alone.image(), batched.get(j).image(), "job " + j + ": the same image, bit for bit");
        }
    }
}
