package io.flowrecon.shared.job;

import io.flowrecon.shared.model.ModelKinds;

/**
 * The rules of a job spec that relate two parts of it: the measurements against the image (1 <= m <= n, a dense
 * operator's size, a mask's size), the image against the model's card, the uploaded vector against m, and the
 * optimiser against the model's kind. The readers check each field on its own and ask this class about the
 * rest; each rule answers null when it holds, else the rule as the user should read it.
 */
final class JobSpecValidator {

    private JobSpecValidator() {
    }

    /** @param shape the image to recover, or null when it could not be read (then n is unknown) */
    static String measurementCount(long m, ImageShape shape) {
        long n = shape == null ? Integer.MAX_VALUE : shape.size();
        if (m >= 1 && m <= n) {
            return null;
        }
        // Without a readable image the bound n is unknown: say so rather than print a sentinel.
        return shape == null ? "must be between 1 and n, the number of image values"
                : "must be between 1 and n = " + n + " (the image is " + shape + ")";
    }

    /** A dense Gaussian A is generated in memory, so m x n is capped. */
    static String denseOperator(Problem.SensingOperator operator, int m, ImageShape shape) {
        if (operator != Problem.SensingOperator.GAUSSIAN || shape == null
                || (long) m * shape.size() <= SpecLimits.MAX_DENSE_ENTRIES) {
            return null;
        }
        return "dense gaussian operator limited to m*n <= 64M entries; use operator subsampled-dct"
                + " (here m*n = " + (long) m * shape.size() + ")";
    }

    /** The largest centre block the image has room for. */
    static long largestBlock(ImageShape shape) {
        return shape == null ? Integer.MAX_VALUE : Math.min(shape.height(), shape.width());
    }

    static String imageShapeForModel(ImageShape shape, ModelLookup.ModelInfo model) {
        if (model == null || model.imageShape() == null || model.imageShape().equals(shape)) {
            return null;
        }
        return "image is " + shape + " but model " + model.id() + " takes " + model.imageShape();
    }

    static String vectorLength(int values, int m) {
        return values == m ? null : "has " + values + " values but problem.m = " + m;
    }

    /** Lasso-DCT is solved with FISTA, and FISTA solves nothing else. */
    static String optimizerForKind(String optimizer, String modelKind) {
        if (modelKind == null || modelKind.equals(ModelKinds.LASSO_DCT) == optimizer.equals("fista")) {
            return null;
        }
        return modelKind.equals(ModelKinds.LASSO_DCT)
                ? "model kind lasso-dct is solved with fista; allowed: fista"
                : "fista solves the lasso-dct baseline only; model kind " + modelKind + " allows: lbfgs, adam";
    }

    /** A Deep Decoder from all-zero weights has zero gradient everywhere (ReLU and normalisation of zeros). */
    static String initForKind(SolverSettings.Init init, String modelKind) {
        if (!ModelKinds.DEEP_DECODER.equals(modelKind) || init instanceof SolverSettings.Init.RandomNormal) {
            return null;
        }
        return "model kind deep-decoder starts from random weights; allowed: random";
    }
}
