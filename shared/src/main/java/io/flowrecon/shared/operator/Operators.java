package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.Problem;

/** Builds the measurement operator A of a problem for images of a given shape. */
public final class Operators {

    private Operators() {
    }

    public static MeasurementOperator create(Problem problem, ImageShape shape) {
        // Java 17 has no pattern switch; the chain covers every permitted subtype of the sealed Problem.
        if (problem instanceof Problem.Denoising) {
            return new IdentityOperator(shape.size());
        }
        if (problem instanceof Problem.CompressiveSensing cs) {
            int n = shape.size();
            if (cs.m() < 1 || cs.m() > n) {
                throw new IllegalArgumentException("problem.m: must be in [1, n] with n = " + n + " for images of shape "
                        + shape + ", got " + cs.m());
            }
            if (cs.operator() == null) {
                throw new IllegalArgumentException("problem.operator: must be gaussian or subsampled-dct");
            }
            return switch (cs.operator()) {
                case GAUSSIAN -> new GaussianOperator(cs.m(), n, cs.seed());
                case SUBSAMPLED_DCT -> new SubsampledDctOperator(shape, cs.m(), cs.seed());
            };
        }
        if (problem instanceof Problem.Inpainting inpainting) {
            return new MaskOperator(Masks.create(inpainting.mask(), shape), shape);
        }
        throw new IllegalStateException("unknown problem kind " + problem.kind());
    }
}
