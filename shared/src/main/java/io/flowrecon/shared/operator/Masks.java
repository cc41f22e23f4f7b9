package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.Problem;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Inpainting masks: H x W row-major, true where the pixel is observed. */
public final class Masks {

    private Masks() {
    }

    /** The mask a problem describes, for an image of the given shape. */
    public static boolean[] create(Problem.Mask mask, ImageShape shape) {
        if (mask instanceof Problem.Mask.CenterBlock block) {
            return centerBlock(shape.height(), shape.width(), block.size());
        }
        if (mask instanceof Problem.Mask.RandomPixels random) {
            return randomPixels(shape.height(), shape.width(), random.missingFraction(), random.seed());
        }
        // Java 17 has no exhaustive pattern switch; Problem.Mask is sealed, so this is unreachable.
        throw new IllegalStateException("unknown mask kind " + mask.kind());
    }

    /** A size x size block in the centre is missing (odd margins put the extra row/column below/right). */
    public static boolean[] centerBlock(int height, int width, int size) {
        if (size < 1 || size >= height || size >= width) {
            throw new IllegalArgumentException("problem.mask.size: must be at least 1 and smaller than the image ("
                    + height + "x" + width + "), got " + size);
        }
        boolean[] observed = new boolean[height * width];
        Arrays.fill(observed, true);
        int top = (height - size) / 2;
        int left = (width - size) / 2;
        for (int y = top; y < top + size; y++) {
            Arrays.fill(observed, y * width + left, y * width + left + size, false);
        }
        return observed;
    }

    /**
     * Each pixel is missing independently with probability {@code missingFraction}: pixel p (row-major)
     * is missing when the p-th {@code nextDouble()} of {@code new SplittableRandom(seed)} is below it.
     */
    public static boolean[] randomPixels(int height, int width, double missingFraction, long seed) {
        if (!(missingFraction >= 0.0 && missingFraction < 1.0)) {
            throw new IllegalArgumentException("problem.mask.missingFraction: must be in [0, 1), got " + missingFraction);
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] observed = new boolean[height * width];
        boolean any = false;
        for (int p = 0; p < observed.length; p++) {
            observed[p] = random.nextDouble() >= missingFraction;
            any |= observed[p];
        }
        if (!any) {
            throw new IllegalArgumentException("problem.mask: the random mask with missingFraction " + missingFraction
                    + " and seed " + seed + " observes no pixel; lower missingFraction");
        }
        return observed;
    }
}
