package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every operator's adjoint is its transpose, and shapes are checked. */
class OperatorAdjointTest {

    private static final ImageShape COLOUR = new ImageShape(3, 12, 10);

    @Test
    void identity() {
        DotProductCheck.assertAdjoint(new IdentityOperator(37), 1);
    }

    @Test
    void centerBlockMask() {
        DotProductCheck.assertAdjoint(new MaskOperator(Masks.centerBlock(12, 10, 4), COLOUR), 2);
    }

    @Test
    void randomPixelMask() {
        DotProductCheck.assertAdjoint(new MaskOperator(Masks.randomPixels(12, 10, 0.6, 5), COLOUR), 3);
    }

    @Test
    void gaussian() {
        DotProductCheck.assertAdjoint(new GaussianOperator(41, COLOUR.size(), 7), 4);
        // n not a multiple of the 8-way unrolling, to cover the remainder loop.
        DotProductCheck.assertAdjoint(new GaussianOperator(13, 101, 8), 5);
    }

    @Test
    void subsampledDctColourNonPowerOfTwo() {
        DotProductCheck.assertAdjoint(new SubsampledDctOperator(COLOUR, 150, 9), 6);
    }

    @Test
    void subsampledDctGreyPowerOfTwo() {
        DotProductCheck.assertAdjoint(new SubsampledDctOperator(new ImageShape(1, 16, 16), 256, 10), 7);
    }

    @Test
    void maskSelectsObservedValuesOfEveryChannel() {
        ImageShape shape = new ImageShape(2, 2, 2);
        MaskOperator mask = new MaskOperator(new boolean[]{true, false, false, true}, shape);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] y = new float[mask.rows()];
        mask.apply(x, y);
        assertArrayEquals(new float[]{1, 4, 5, 8}, y);
        float[] back = new float[x.length];
        mask.adjoint(y, back);
        assertArrayEquals(new float[]{1, 0, 0, 4, 5, 0, 0, 8}, back);
        // render: missing pixels black, observed values clipped to [0, 1] for display
        assertArrayEquals(new float[]{1, 0, 0, 1, 0.5f, 0, 0, 0}, mask.render(new float[]{1, 4, 0.5f, -8}).values());
    }

    @Test
    void wrongLengthsAreRejected() {
        GaussianOperator op = new GaussianOperator(3, 5, 1);
        assertThrows(IllegalArgumentException.class, () -> op.apply(new float[4], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> op.adjoint(new float[3], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> new MaskOperator(new boolean[3], COLOUR));
        assertThrows(IllegalArgumentException.class, () -> new MaskOperator(new boolean[120], COLOUR));
        assertThrows(IllegalArgumentException.class, () -> new SubsampledDctOperator(COLOUR, COLOUR.size() + 1, 1));
    }

    @Test
    void channelDctIsOrthonormal() {
        // Parseval and an exact round trip; float DCT of 120 values keeps ~1e-6 relative accuracy.
        ChannelDct dct = new ChannelDct(COLOUR);
        float[] x = DotProductCheck.gaussian(new java.util.SplittableRandom(11), COLOUR.size());
        float[] w = x.clone();
        dct.forward(w);
        assertEquals(DotProductCheck.dot(x, x), DotProductCheck.dot(w, w), 1e-5 * DotProductCheck.dot(x, x));
        assertEquals(false, Arrays.equals(x, w));
        dct.inverse(w);
        assertArrayEquals(x, w, 1e-5f);
    }
}
