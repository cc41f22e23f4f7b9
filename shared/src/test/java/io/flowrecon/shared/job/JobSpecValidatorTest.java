package io.flowrecon.shared.job;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobSpecValidatorTest {

    private static final ImageShape FACE = new ImageShape(3, 32, 32);

    @Test
    void mLiesBetweenOneAndTheNumberOfImageValues() {
        assertNull(JobSpecValidator.measurementCount(1, FACE));
        assertNull(JobSpecValidator.measurementCount(3072, FACE));
        assertEquals("must be between 1 and n = 3072 (the image is " + FACE + ")",
                JobSpecValidator.measurementCount(3073, FACE));
        assertTrue(JobSpecValidator.measurementCount(0, null).contains("the number of image values"));
    }

    @Test
    void aDenseGaussianOperatorIsCappedAndAMatrixFreeOneIsNot() {
        ImageShape big = new ImageShape(3, 512, 512);
        assertNull(JobSpecValidator.denseOperator(Problem.SensingOperator.GAUSSIAN, 10, big));
        assertTrue(JobSpecValidator.denseOperator(Problem.SensingOperator.GAUSSIAN, 100_000, big).contains("64M"));
        assertNull(JobSpecValidator.denseOperator(Problem.SensingOperator.SUBSAMPLED_DCT, 100_000, big));
    }

    @Test
    void imagesMatchTheModelsCardVectorsMatchMAndFistaSolvesOnlyLasso() {
        ModelLookup.ModelInfo glow = new ModelLookup.ModelInfo("g", "glow", FACE);
        assertNull(JobSpecValidator.imageShapeForModel(FACE, glow));
        assertTrue(JobSpecValidator.imageShapeForModel(new ImageShape(1, 28, 28), glow).contains("takes"));
        assertNull(JobSpecValidator.imageShapeForModel(new ImageShape(1, 28, 28),
                new ModelLookup.ModelInfo("lasso-dct", "lasso-dct", null)));
        assertNull(JobSpecValidator.vectorLength(5, 5));
        assertEquals("has 4 values but problem.m = 5", JobSpecValidator.vectorLength(4, 5));
        assertNull(JobSpecValidator.optimizerForKind("fista", "lasso-dct"));
        assertTrue(JobSpecValidator.optimizerForKind("lbfgs", "lasso-dct").contains("fista"));
        assertTrue(JobSpecValidator.optimizerForKind("fista", "glow").contains("lbfgs, adam"));
        assertEquals(16, JobSpecValidator.largestBlock(new ImageShape(1, 16, 20)));
    }
}
