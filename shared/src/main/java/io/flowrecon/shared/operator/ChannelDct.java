package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import org.jtransforms.dct.FloatDCT_2D;

/**
 * The orthonormal 2-D DCT-II of each channel of a CHW image, in place (JTransforms with
 * scaling = true, so that forward and inverse are each other's transpose). This is the sparsity
 * basis Psi of the Lasso baseline and the C of {@link SubsampledDctOperator}.
 */
public final class ChannelDct {

    private final ImageShape shape;
    private final FloatDCT_2D dct;

    public ChannelDct(ImageShape shape) {
        this.shape = shape;
        this.dct = new FloatDCT_2D(shape.height(), shape.width());
    }

    public ImageShape shape() {
        return shape;
    }

    /** Image to DCT coefficients, in place. */
    public void forward(float[] values) {
        transform(values, true);
    }

    /** DCT coefficients to image, in place. */
    public void inverse(float[] values) {
        transform(values, false);
    }

    private void transform(float[] values, boolean forward) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("DCT of shape " + shape + ": expected " + shape.size()
                    + " values, got " + values.length);
        }
        int plane = shape.height() * shape.width();
        float[] channel = shape.channels() == 1 ? values : new float[plane];
        for (int c = 0; c < shape.channels(); c++) {
            if (channel != values) {
                System.arraycopy(values, c * plane, channel, 0, plane);
            }
            if (forward) {
                dct.forward(channel, true);
            } else {
                dct.inverse(channel, true);
            }
            if (channel != values) {
                System.arraycopy(channel, 0, values, c * plane, plane);
            }
        }
    }
}
