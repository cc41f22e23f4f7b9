package io.flowrecon.shared.operator;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;

/**
 * Inpainting: y = the observed values of x. A pixel mask (H x W, row-major) applies to every
 * channel; y lists the observed values channel by channel, pixels in row-major order, so
 * m = channels * observedPixels. A is a row selection, A^T scatters back with zeros elsewhere.
 */
public final class MaskOperator implements MeasurementOperator {

    private final ImageShape shape;
    private final boolean[] observedPixels;
    private final int[] observedIndices;

    /**
     * @param observedPixels true where the pixel is observed, length H * W (row-major); copied
     * @param shape          the image shape
     */
    public MaskOperator(boolean[] observedPixels, ImageShape shape) {
        int plane = shape.height() * shape.width();
        if (observedPixels.length != plane) {
            throw new IllegalArgumentException("mask: expected " + plane + " pixels (" + shape.height() + "x"
                    + shape.width() + "), got " + observedPixels.length);
        }
        int observed = 0;
        for (boolean o : observedPixels) {
            observed += o ? 1 : 0;
        }
        if (observed == 0) {
            throw new IllegalArgumentException("mask: at least one pixel must be observed");
        }
        this.shape = shape;
        this.observedPixels = observedPixels.clone();
        this.observedIndices = new int[shape.channels() * observed];
        int k = 0;
        for (int c = 0; c < shape.channels(); c++) {
            for (int p = 0; p < plane; p++) {
                if (observedPixels[p]) {
                    observedIndices[k++] = c * plane + p;
                }
            }
        }
    }

    @Override
    public int rows() {
        return observedIndices.length;
    }

    @Override
    public int cols() {
        return shape.size();
    }

    public ImageShape shape() {
        return shape;
    }

    /** Copy of the pixel mask (H x W, row-major), true where observed. */
    public boolean[] observedPixels() {
        return observedPixels.clone();
    }

    /** Copy of the flat CHW index of each measurement: y[k] = x[observedIndices[k]] (a Gather for ONNX). */
    public int[] observedIndices() {
        return observedIndices.clone();
    }

    @Override
    public void apply(float[] x, float[] y) {
        OperatorChecks.lengths(this, x, cols(), y, rows());
        for (int k = 0; k < observedIndices.length; k++) {
            y[k] = x[observedIndices[k]];
        }
    }

    @Override
    public void adjoint(float[] y, float[] x) {
        OperatorChecks.lengths(this, y, rows(), x, cols());
        java.util.Arrays.fill(x, 0f);
        for (int k = 0; k < observedIndices.length; k++) {
            x[observedIndices[k]] = y[k];
        }
    }

    /** The measurements drawn as an image for display: observed pixels shown, missing ones 0, clipped to [0, 1]. */
    public Image render(float[] measurements) {
        float[] x = new float[cols()];
        adjoint(measurements, x);
        return new Image(shape, x).clipped();
    }

    @Override
    public String describe() {
        return "mask(observed=" + observedIndices.length / shape.channels() + " of "
                + observedPixels.length + " pixels, shape=" + shape + ")";
    }
}
